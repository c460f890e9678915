package live.cascade.whipwhep;

import java.util.Objects;

/** A STUN or TURN server offered to clients in a {@code Link: <…>; rel="ice-server"} header (RFC 9725 §4.6). */
public record IceServer(String url, String username, String credential) {
    public IceServer {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("stun:") && !url.startsWith("stuns:") && !url.startsWith("turn:") && !url.startsWith("turns:")) {
            throw new IllegalArgumentException("an ICE server URL starts with stun:, stuns:, turn: or turns:, got " + url);
        }
    }

    /** The Link header value; TURN credentials ride along as link parameters. */
    public String linkValue() {
        StringBuilder sb = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
        if (username != null && !username.isEmpty() && (url.startsWith("turn:") || url.startsWith("turns:"))) {
            sb.append("; username=\"").append(quote(username)).append("\"; credential=\"").append(quote(credential == null ? "" : credential))
                    .append("\"; credential-type=\"password\"");
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
