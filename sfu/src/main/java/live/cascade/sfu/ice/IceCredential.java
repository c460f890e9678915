package live.cascade.sfu.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import live.cascade.sfu.params.IceParameters;

/**
 * One generation of our local ICE credentials with a keyed HMAC-SHA1 ready for MESSAGE-INTEGRITY. The key is our
 * password (RFC 8489 short-term credentials; SASLprep is the identity for our ASCII passwords), both for checking
 * requests and for signing our responses. Holding the initialised {@link Mac} avoids a key schedule per check.
 *
 * <p>Confined to the owning worker thread ({@link Mac} is stateful).
 */
public final class IceCredential {
    private final IceParameters local;
    private final Mac mac;

    public IceCredential(IceParameters local) {
        this.local = Objects.requireNonNull(local, "local");
        try {
            this.mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(local.password().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is a mandatory JDK algorithm", e);
        }
    }

    public String ufrag() { return local.ufrag(); }

    public IceParameters parameters() { return local; }

    Mac mac() { return mac; }

    @Override
    public String toString() { return "IceCredential[" + local.ufrag() + "]"; }
}
