package live.cascade.signaling.negotiation;

import java.util.List;

import live.cascade.signaling.sdp.Attribute;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.Group;
import live.cascade.signaling.sdp.IceCandidate;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.Origin;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.sfu.params.Candidate;

/**
 * The parts every answer of ours shares: ICE-lite at session level, max-bundle, rtcp-mux-only, our credentials,
 * fingerprint and setup in every accepted section, and all our candidates followed by end-of-candidates, so the
 * client never waits for trickle.
 */
final class AnswerWriter {
    private final SessionDescription offer;
    private final ServerTransport server;
    private final OfferChecks.RemoteTransport remote;

    AnswerWriter(SessionDescription offer, ServerTransport server, OfferChecks.RemoteTransport remote) {
        this.offer = offer;
        this.server = server;
        this.remote = remote;
    }

    /** A positive 62-bit o= session id, as RFC 8866 §5.2 suggests NTP-like uniqueness, not a particular format. */
    static String sessionId(java.util.random.RandomGenerator random) {
        return Long.toString(random.nextLong(1L, 1L << 62));
    }

    SessionDescription.Builder session(List<String> bundleMids, String sessionId) {
        SessionDescription.Builder b = SessionDescription.builder(
                new Origin("-", sessionId, "1", "IN", "IP4", "127.0.0.1"), "-");
        b.line('t', "0 0");
        if (!bundleMids.isEmpty()) b.attribute(Group.bundle(bundleMids).toAttribute());
        // Echoed only when offered at session level; RFC 8285 lets the answerer accept it, and the media plane reads both header forms.
        if (offer.extmapAllowMixed()) b.flag("extmap-allow-mixed");
        b.flag("ice-lite");
        return b;
    }

    /** The start of an accepted section: m-line with our default candidate, transport attributes, direction. */
    MediaSection.Builder section(MediaSection offered, Direction direction, List<Integer> formats) {
        Candidate first = server.candidates().get(0);
        MediaSection.Builder b = MediaSection.builder(offered.media(), first.port(), offered.protocol());
        for (int pt : formats) b.format(pt);
        b.line('c', "IN " + (first.address().indexOf(':') >= 0 ? "IP6 " : "IP4 ") + first.address());
        b.attribute("mid", offered.mid().orElseThrow());
        b.attribute("ice-ufrag", server.localIce().ufrag());
        b.attribute("ice-pwd", server.localIce().password());
        b.attribute("fingerprint", server.localFingerprint().algorithm() + " " + server.localFingerprint().value());
        b.attribute(remote.answerSetup().toAttribute());
        b.attribute(direction.toAttribute());
        b.flag("rtcp-mux");
        b.flag("rtcp-mux-only");
        if (offered.extmapAllowMixed()) b.flag("extmap-allow-mixed");
        return b;
    }

    /** Ends an accepted section with every candidate; they are the same in each section since all are bundled. */
    MediaSection finish(MediaSection.Builder b) {
        List<Candidate> candidates = server.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            // Distinct foundations: the candidates have different base addresses (RFC 8445 §5.1.1.3).
            b.attribute(IceCandidate.host(Integer.toString(i + 1), candidates.get(i)).toAttribute());
        }
        b.flag("end-of-candidates");
        return b.build();
    }

    /**
     * A declined section (JSEP §5.3.1): same media, protocol and formats, port 0, the mid kept so the client can match
     * it, and nothing else.
     */
    static MediaSection declined(MediaSection offered) {
        MediaSection.Builder b = MediaSection.builder(offered.media(), 0, offered.protocol());
        offered.formats().forEach(b::format);
        b.line('c', "IN IP4 0.0.0.0");
        offered.mid().ifPresent(mid -> b.attribute(Attribute.of("mid", mid)));
        return b.build();
    }
}
