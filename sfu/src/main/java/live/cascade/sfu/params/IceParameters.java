package live.cascade.sfu.params;

import java.util.Objects;

/** ICE username fragment and password of one side. */
public record IceParameters(String ufrag, String password) {
    public IceParameters {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
    }
}
