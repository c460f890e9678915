package live.cascade.api.ice;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * A client's word about its own relayed session: the session's WHIP/WHEP resource id (the last segment of the
 * {@code Location} it was given), its relay candidate's address and port (the relayed address the TURN server
 * allocated, which is the address the node sees the session's media come from) and the transport it reaches the relay
 * by: {@code udp}, {@code tcp} or {@code tls}.
 */
public record RelayClaim(String session, InetSocketAddress relayed, String transport) {
    /** What a WHIP/WHEP resource id looks like (the node mints 22 base64url characters). */
    public static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
}
