package live.cascade.signaling.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=msid:<stream id> [<track id>]} (RFC 8830), also found as {@code a=ssrc:<n> msid:...}.
 * A stream id of {@code -} means the track belongs to no MediaStream.
 *
 * @param trackId the track id (appdata), or {@code ""} when none was given
 */
public record Msid(String streamId, String trackId) {
    public static final String NO_STREAM = "-";

    public Msid {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trackId, "trackId");
        if (!Text.isToken(streamId)) throw new IllegalArgumentException("msid stream id is not a single token: " + Text.quote(streamId));
        if (!trackId.isEmpty() && !Text.isToken(trackId)) {
            throw new IllegalArgumentException("msid track id is not a single token: " + Text.quote(trackId));
        }
    }

    public static Msid parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.isEmpty() || t.size() > 2) {
            throw new SdpParseException("msid value " + Text.quote(value) + " is not '<stream id> [<track id>]'");
        }
        return new Msid(t.get(0), t.size() == 2 ? t.get(1) : "");
    }

    /** The msid in {@code value}, or empty when it is not one (for the free-text {@code a=ssrc:<n> msid:} form). */
    public static java.util.Optional<Msid> read(String value) {
        List<String> t = Text.tokens(value);
        if (t.isEmpty() || t.size() > 2) return java.util.Optional.empty();
        return java.util.Optional.of(new Msid(t.get(0), t.size() == 2 ? t.get(1) : ""));
    }

    public boolean hasStream() {
        return !streamId.equals(NO_STREAM);
    }

    public String value() {
        return trackId.isEmpty() ? streamId : streamId + " " + trackId;
    }

    public Attribute toAttribute() {
        return Attribute.of("msid", value());
    }
}
