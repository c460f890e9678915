package live.cascade.signaling.sdp;

/** Writes descriptions and fragments with CRLF line ends (RFC 8866 §5), every line terminated. */
public final class SdpWriter {
    private static final String CRLF = "\r\n";

    private SdpWriter() {}

    public static String write(SessionDescription sdp) {
        StringBuilder b = new StringBuilder(2048);
        b.append("v=0").append(CRLF);
        b.append("o=").append(sdp.origin().value()).append(CRLF);
        // RFC 8866 recommends "-" for a session without a meaningful name; an empty s= is not allowed.
        b.append("s=").append(sdp.sessionName().isEmpty() ? "-" : sdp.sessionName()).append(CRLF);
        for (SdpLine l : sdp.lines()) b.append(l).append(CRLF);
        for (Attribute a : sdp.attributes()) b.append(a).append(CRLF);
        for (MediaSection m : sdp.media()) writeSection(b, m);
        return b.toString();
    }

    public static String write(SdpFragment fragment) {
        StringBuilder b = new StringBuilder(512);
        for (SdpLine l : fragment.lines()) b.append(l).append(CRLF);
        for (Attribute a : fragment.attributes()) b.append(a).append(CRLF);
        for (MediaSection m : fragment.media()) writeSection(b, m);
        return b.toString();
    }

    private static void writeSection(StringBuilder b, MediaSection m) {
        b.append("m=").append(m.media()).append(' ').append(m.port());
        if (m.numberOfPorts() > 0) b.append('/').append(m.numberOfPorts());
        b.append(' ').append(m.protocol());
        for (String f : m.formats()) b.append(' ').append(f);
        b.append(CRLF);
        for (SdpLine l : m.lines()) b.append(l).append(CRLF);
        for (Attribute a : m.attributes()) b.append(a).append(CRLF);
    }
}
