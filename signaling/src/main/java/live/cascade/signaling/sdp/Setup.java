package live.cascade.signaling.sdp;

import java.util.Locale;

/** {@code a=setup} (RFC 4145, RFC 8842): who opens the DTLS connection. */
public enum Setup {
    ACTPASS, ACTIVE, PASSIVE, HOLDCONN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Attribute toAttribute() {
        return Attribute.of("setup", value());
    }

    public static Setup parse(String value) throws SdpParseException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "actpass" -> ACTPASS;
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "holdconn" -> HOLDCONN;
            default -> throw new SdpParseException(
                    "a=setup value " + Text.quote(value) + " is not one of actpass, active, passive, holdconn");
        };
    }
}
