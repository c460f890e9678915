package live.cascade.sfu.testkit.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import live.cascade.sfu.params.DtlsFingerprint;

/**
 * What the packet client needs from a server's SDP answer, read by a small reader of its own. It shares no code with
 * the server's {@code signaling} parser on purpose: a test that reads the server's answer with the server's own parser
 * would not notice the two agreeing on a mistake.
 *
 * <p>Session-level ICE and DTLS attributes apply to every section that does not repeat them; the transport values are
 * taken from the first accepted section, as max-bundle means all sections share one transport.
 *
 * @param iceLite     {@code a=ice-lite} at session level
 * @param ufrag       the server's {@code a=ice-ufrag}
 * @param password    the server's {@code a=ice-pwd}
 * @param fingerprint the server's sha-256 {@code a=fingerprint}
 * @param setup       the server's {@code a=setup}: {@code passive} (we are the DTLS client) or {@code active}
 * @param candidates  the UDP host candidates, in answer order
 * @param sections    every m-section, accepted or declined, in answer order
 */
public record SdpAnswer(boolean iceLite, String ufrag, String password, DtlsFingerprint fingerprint, String setup,
                        List<InetSocketAddress> candidates, List<Section> sections) {

    /** One m-section of the answer. {@code port} 0 means the server declined it. */
    public record Section(String kind, int port, String mid, String direction, List<Format> formats,
                          Map<String, Integer> extensionIds, List<Long> ssrcs, long rtxSsrc) {
        public boolean accepted() { return port != 0; }

        /** The first media (non-RTX) format: the codec the server chose. */
        public Format codec() {
            return formats.stream().filter(f -> !f.name().equalsIgnoreCase("rtx")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the " + kind + " section (mid " + mid + ") has no codec"));
        }

        /** The RTX payload type paired with {@code pt} ({@code a=fmtp:<rtx> apt=<pt>}), or -1. */
        public int rtxFor(int pt) {
            for (Format f : formats) if (f.name().equalsIgnoreCase("rtx") && f.fmtp().equals("apt=" + pt)) return f.payloadType();
            return -1;
        }

        /** The header-extension id negotiated for {@code uri}, or 0. */
        public int extensionId(String uri) { return extensionIds.getOrDefault(uri, 0); }

        /** The media SSRC the server announced (a viewer's answer), or 0. */
        public long ssrc() { return ssrcs.isEmpty() ? 0 : ssrcs.getFirst(); }
    }

    /** One payload type: {@code a=rtpmap}, {@code a=fmtp} and the {@code a=rtcp-fb} values. */
    public record Format(int payloadType, String name, int clockRate, String fmtp, List<String> feedback) {}

    /** The accepted section of {@code kind} ({@code audio} or {@code video}), if any. */
    public Optional<Section> section(String kind) {
        return sections.stream().filter(s -> s.kind().equals(kind) && s.accepted()).findFirst();
    }

    /** The DTLS role the answer leaves us: the server's {@code passive} makes us the client. */
    public boolean weAreDtlsClient() {
        return !setup.equals("active");
    }

    /**
     * Reads an answer; throws {@link IllegalArgumentException} naming the line when something the client needs is
     * missing or malformed.
     */
    public static SdpAnswer parse(String sdp) {
        return new Reader().read(sdp);
    }

    private static final class Reader {
        private boolean iceLite;
        private final Map<String, String> session = new LinkedHashMap<>();
        private final List<InetSocketAddress> candidates = new ArrayList<>();
        private final List<SectionDraft> drafts = new ArrayList<>();

        SdpAnswer read(String sdp) {
            if (!sdp.startsWith("v=0")) throw new IllegalArgumentException("an SDP answer starts with v=0, this starts with "
                    + sdp.substring(0, Math.min(20, sdp.length())));
            SectionDraft current = null;
            for (String raw : sdp.split("\r?\n")) {
                String line = raw.strip();
                if (line.isEmpty()) continue;
                if (line.length() < 2 || line.charAt(1) != '=') throw new IllegalArgumentException("not an SDP line: " + line);
                char type = line.charAt(0);
                String value = line.substring(2);
                if (type == 'm') {
                    current = SectionDraft.fromMLine(value);
                    drafts.add(current);
                } else if (type == 'a') {
                    attribute(current, value);
                }
            }
            if (drafts.isEmpty()) throw new IllegalArgumentException("the answer has no m-section");
            SectionDraft first = drafts.stream().filter(d -> d.port != 0).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the answer declines every m-section"));
            String ufrag = required(first, "ice-ufrag");
            String pwd = required(first, "ice-pwd");
            String[] fp = required(first, "fingerprint").split(" ", 2);
            if (fp.length != 2) throw new IllegalArgumentException("a=fingerprint without a digest");
            String setup = required(first, "setup");
            if (!setup.equals("active") && !setup.equals("passive")) {
                throw new IllegalArgumentException("an answer's a=setup is active or passive, not " + setup);
            }
            List<Section> sections = drafts.stream().map(SectionDraft::build).toList();
            return new SdpAnswer(iceLite, ufrag, pwd, new DtlsFingerprint(fp[0], fp[1]), setup, List.copyOf(candidates), sections);
        }

        private String required(SectionDraft d, String name) {
            String v = d.transport.getOrDefault(name, session.get(name));
            if (v == null) throw new IllegalArgumentException("the answer has no a=" + name + " for mid " + d.mid);
            return v;
        }

        private void attribute(SectionDraft section, String attr) {
            int colon = attr.indexOf(':');
            String name = colon < 0 ? attr : attr.substring(0, colon);
            String value = colon < 0 ? "" : attr.substring(colon + 1);
            switch (name) {
                case "ice-lite" -> iceLite = true;
                case "ice-ufrag", "ice-pwd", "fingerprint", "setup" -> {
                    if (section == null) session.put(name, value);
                    else section.transport.put(name, value);
                }
                case "candidate" -> candidate(value);
                default -> {
                    if (section != null) section.attribute(name, value);
                }
            }
        }

        /** {@code foundation component transport priority address port typ type ...}; only UDP is usable here. */
        private void candidate(String value) {
            String[] f = value.split(" ");
            if (f.length < 8 || !f[6].equals("typ")) throw new IllegalArgumentException("malformed a=candidate:" + value);
            if (!f[2].equalsIgnoreCase("udp")) return;
            InetSocketAddress address = new InetSocketAddress(f[4], parseInt(f[5], "candidate port"));
            if (!candidates.contains(address)) candidates.add(address);
        }
    }

    private static final class SectionDraft {
        final String kind;
        final int port;
        final List<Integer> payloadTypes = new ArrayList<>();
        final Map<String, String> transport = new LinkedHashMap<>();
        final Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        final Map<Integer, String> fmtps = new LinkedHashMap<>();
        final Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        final Map<String, Integer> extensions = new LinkedHashMap<>();
        final List<Long> ssrcs = new ArrayList<>();
        long rtxSsrc;
        String mid = "";
        String direction = "sendrecv";

        private SectionDraft(String kind, int port) {
            this.kind = kind;
            this.port = port;
        }

        /** {@code <media> <port> <proto> <fmt> ...} */
        static SectionDraft fromMLine(String value) {
            String[] f = value.split(" ");
            if (f.length < 3) throw new IllegalArgumentException("malformed m=" + value);
            SectionDraft d = new SectionDraft(f[0].toLowerCase(Locale.ROOT), parseInt(f[1], "m-line port"));
            for (int i = 3; i < f.length; i++) d.payloadTypes.add(parseInt(f[i], "payload type"));
            return d;
        }

        void attribute(String name, String value) {
            switch (name) {
                case "mid" -> mid = value;
                case "sendonly", "recvonly", "sendrecv", "inactive" -> direction = name;
                case "rtpmap" -> {
                    String[] f = value.split("[ /]");
                    if (f.length < 3) throw new IllegalArgumentException("malformed a=rtpmap:" + value);
                    rtpmaps.put(parseInt(f[0], "rtpmap payload type"), new String[] {f[1], f[2]});
                }
                case "fmtp" -> {
                    int sp = value.indexOf(' ');
                    if (sp < 0) throw new IllegalArgumentException("malformed a=fmtp:" + value);
                    fmtps.put(parseInt(value.substring(0, sp), "fmtp payload type"), value.substring(sp + 1));
                }
                case "rtcp-fb" -> {
                    int sp = value.indexOf(' ');
                    if (sp < 0) throw new IllegalArgumentException("malformed a=rtcp-fb:" + value);
                    feedback.computeIfAbsent(parseInt(value.substring(0, sp), "rtcp-fb payload type"), k -> new ArrayList<>())
                            .add(value.substring(sp + 1));
                }
                case "extmap" -> {
                    String[] f = value.split(" ");
                    if (f.length < 2) throw new IllegalArgumentException("malformed a=extmap:" + value);
                    // The id may carry a direction: "3/sendonly".
                    extensions.put(f[1], parseInt(f[0].split("/")[0], "extmap id"));
                }
                case "ssrc" -> {
                    long ssrc = Long.parseLong(value.substring(0, value.indexOf(' ') < 0 ? value.length() : value.indexOf(' ')));
                    if (!ssrcs.contains(ssrc) && ssrc != rtxSsrc) ssrcs.add(ssrc);
                }
                case "ssrc-group" -> {
                    String[] f = value.split(" ");
                    if (f[0].equals("FID") && f.length == 3) {
                        rtxSsrc = Long.parseLong(f[2]);
                        ssrcs.remove(rtxSsrc);
                    }
                }
                default -> { }
            }
        }

        Section build() {
            List<Format> formats = new ArrayList<>();
            for (int pt : payloadTypes) {
                String[] map = rtpmaps.get(pt);
                if (map == null) continue;
                formats.add(new Format(pt, map[0], parseInt(map[1], "clock rate"), fmtps.getOrDefault(pt, ""),
                        List.copyOf(feedback.getOrDefault(pt, List.of()))));
            }
            return new Section(kind, port, mid, direction, List.copyOf(formats), Map.copyOf(extensions), List.copyOf(ssrcs), rtxSsrc);
        }
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " is not a number: " + s);
        }
    }
}
