package live.cascade.db;

import java.util.Objects;

/** Where to send a donation. {@code note} may be null. Format checks belong to the API. */
public record DonationAddress(String currency, String address, String note) {
    public DonationAddress {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(address, "address");
    }
}
