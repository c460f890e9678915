package live.cascade.signaling.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]}.
 *
 * @param channels audio channels; 1 when the line gives none (RFC 8866 §6.6)
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {
    public RtpMap {
        Objects.requireNonNull(encodingName, "encodingName");
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type out of range: " + payloadType);
        if (!Text.isToken(encodingName) || encodingName.indexOf('/') >= 0) {
            throw new IllegalArgumentException("bad encoding name: " + Text.quote(encodingName));
        }
        if (clockRate < 1) throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        if (channels < 1) throw new IllegalArgumentException("channels must be positive: " + channels);
    }

    public static RtpMap parse(String value) throws SdpParseException {
        String[] parts = Text.head(value);
        int pt = Text.intNumber(parts[0], 0, 127, "a=rtpmap payload type");
        String[] enc = parts[1].split("/", -1);
        if (parts[1].isEmpty() || enc.length < 2 || enc.length > 3 || enc[0].isEmpty() || !Text.isToken(parts[1])) {
            throw new SdpParseException("a=rtpmap value " + Text.quote(value)
                    + " is not '<payload type> <encoding name>/<clock rate>[/<channels>]'");
        }
        int rate = Text.intNumber(enc[1], 1, Integer.MAX_VALUE, "a=rtpmap clock rate");
        int channels = enc.length == 3 ? Text.intNumber(enc[2], 1, 255, "a=rtpmap channel count") : 1;
        return new RtpMap(pt, enc[0], rate, channels);
    }

    public boolean isNamed(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    public String upperName() {
        return encodingName.toUpperCase(Locale.ROOT);
    }

    /** The value as written; channels appear only when more than one, as browsers write them. */
    public String value() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    public Attribute toAttribute() {
        return Attribute.of("rtpmap", value());
    }
}
