package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.sfu.params.MediaKind;

/**
 * One m-section: the {@code m=} line, its other lines ({@code c=}, {@code b=}, ...) and its attributes in order.
 *
 * @param media         {@code audio}, {@code video}, {@code application}, ...
 * @param port          the port; 0 rejects the section unless it is {@code bundle-only}
 * @param numberOfPorts the {@code /<n>} after the port, or 0 when the line has none
 * @param protocol      e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats       the format tokens (payload types for RTP)
 */
public record MediaSection(String media, int port, int numberOfPorts, String protocol, List<String> formats,
                           List<SdpLine> lines, List<Attribute> attributes) implements HasAttributes {
    public MediaSection {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(protocol, "protocol");
        if (!Text.isToken(media)) throw new IllegalArgumentException("media is not a single token: " + Text.quote(media));
        if (!Text.isToken(protocol)) throw new IllegalArgumentException("protocol is not a single token: " + Text.quote(protocol));
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (numberOfPorts < 0 || numberOfPorts > 65535) throw new IllegalArgumentException("number of ports out of range: " + numberOfPorts);
        formats = List.copyOf(formats);
        for (String f : formats) if (!Text.isToken(f)) throw new IllegalArgumentException("format is not a single token: " + Text.quote(f));
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
        AttributeRules.requireValidScope(attributes);
    }

    public static Builder builder(String media, int port, String protocol) {
        return new Builder(media, port, protocol);
    }

    /** Audio or video; empty for application and other media. */
    public Optional<MediaKind> kind() {
        return switch (media) {
            case "audio" -> Optional.of(MediaKind.AUDIO);
            case "video" -> Optional.of(MediaKind.VIDEO);
            default -> Optional.empty();
        };
    }

    /** The formats that are payload type numbers, in m-line order (the offerer's preference). */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        // Non-RTP formats such as webrtc-datachannel are legitimately not numbers and are skipped.
        for (String f : formats) Text.smallNumber(f, 127).ifPresent(out::add);
        return List.copyOf(out);
    }

    public List<RtpMap> rtpMaps() {
        return Typed.all(attributes, "rtpmap", RtpMap::parse);
    }

    public Optional<RtpMap> rtpMap(int payloadType) {
        return rtpMaps().stream().filter(m -> m.payloadType() == payloadType).findFirst();
    }

    public List<Fmtp> fmtps() {
        return Typed.all(attributes, "fmtp", Fmtp::parse);
    }

    public Optional<Fmtp> fmtp(int payloadType) {
        return fmtps().stream().filter(f -> f.payloadType() == payloadType).findFirst();
    }

    public List<RtcpFeedback> rtcpFeedback() {
        return Typed.all(attributes, "rtcp-fb", RtcpFeedback::parse);
    }

    /** Feedback for one payload type, including {@code a=rtcp-fb:*} lines. */
    public List<RtcpFeedback> rtcpFeedback(int payloadType) {
        return rtcpFeedback().stream().filter(f -> f.appliesTo(payloadType)).toList();
    }

    public List<SsrcAttribute> ssrcs() {
        return Typed.all(attributes, "ssrc", SsrcAttribute::parse);
    }

    public List<SsrcGroup> ssrcGroups() {
        return Typed.all(attributes, "ssrc-group", SsrcGroup::parse);
    }

    public List<Rid> rids() {
        return Typed.all(attributes, "rid", Rid::parse);
    }

    public Optional<Simulcast> simulcast() {
        return Typed.first(attributes, "simulcast", Simulcast::parse);
    }

    /** The {@code a=msid} lines, then any {@code a=ssrc:<n> msid:} values (older clients write only those). */
    public List<Msid> msids() {
        List<Msid> out = new ArrayList<>(Typed.all(attributes, "msid", Msid::parse));
        for (SsrcAttribute s : ssrcs()) {
            // An ssrc-level msid is free text to RFC 5576; one we cannot read identifies no stream.
            if (s.attribute().equals("msid")) Msid.read(s.value()).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    public boolean rtcpMuxOnly() {
        return hasAttribute("rtcp-mux-only");
    }

    public boolean rtcpRsize() {
        return hasAttribute("rtcp-rsize");
    }

    public boolean bundleOnly() {
        return hasAttribute("bundle-only");
    }

    /** Port 0 rejects (or, in an answer, declines) the section, except when {@code bundle-only} asks for port 0. */
    public boolean isRejected() {
        return port == 0 && !bundleOnly();
    }

    /** The same section with another port, e.g. to decline it with port 0. */
    public MediaSection withPort(int newPort) {
        return new MediaSection(media, newPort, numberOfPorts, protocol, formats, lines, attributes);
    }

    /** Collects the parts of a section in order; build() validates them. */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String protocol;
        private final List<String> formats = new ArrayList<>();
        private final List<SdpLine> lines = new ArrayList<>();
        private final List<Attribute> attributes = new ArrayList<>();

        private Builder(String media, int port, String protocol) {
            this.media = media;
            this.port = port;
            this.protocol = protocol;
        }

        public Builder format(String format) { formats.add(format); return this; }
        public Builder format(int payloadType) { formats.add(Integer.toString(payloadType)); return this; }
        public Builder line(char type, String value) { lines.add(new SdpLine(type, value)); return this; }
        public Builder attribute(Attribute a) { attributes.add(a); return this; }
        public Builder attribute(String name, String value) { attributes.add(Attribute.of(name, value)); return this; }
        public Builder flag(String name) { attributes.add(Attribute.flag(name)); return this; }

        public MediaSection build() {
            return new MediaSection(media, port, 0, protocol, formats, lines, attributes);
        }
    }
}
