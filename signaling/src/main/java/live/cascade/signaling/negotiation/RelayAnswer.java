package live.cascade.signaling.negotiation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.IceCandidate;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.RtpMap;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.Setup;
import live.cascade.signaling.sdp.SsrcGroup;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;

/**
 * What the origin's answer to a {@link RelayOffer} means for the node that pulls: the origin's transport (ICE
 * credentials, fingerprint, our DTLS role), the UDP candidates to check, and the channel's tracks as the origin sends
 * them, which on the pulling node are the tracks of its local publisher (same SSRCs, payload types, RTX, feedback
 * and extension ids), so its router treats the relay like any WHIP publisher.
 *
 * @param transport  the origin's ICE and DTLS parameters and our role
 * @param candidates the origin's UDP candidates, in the answer's order
 * @param tracks     one per accepted m-section
 */
public record RelayAnswer(TransportParameters transport, List<InetSocketAddress> candidates, List<TrackParameters> tracks) {
    public RelayAnswer {
        candidates = List.copyOf(candidates);
        tracks = List.copyOf(tracks);
    }

    /** Reads the answer, or says (for the operator's log) why it cannot carry a relay. */
    public static Result read(SessionDescription answer) {
        List<MediaSection> accepted = answer.media().stream().filter(m -> !m.isRejected() && m.kind().isPresent()).toList();
        if (accepted.isEmpty()) return failure(Reason.NOTHING_TO_PLAY, "the origin's answer accepts no audio or video section");
        MediaSection tag = accepted.getFirst();
        Optional<String> ufrag = answer.iceUfragOf(tag);
        Optional<String> pwd = answer.icePwdOf(tag);
        List<DtlsFingerprint> fingerprints = answer.fingerprintsOf(tag);
        if (ufrag.isEmpty() || pwd.isEmpty() || fingerprints.isEmpty()) {
            return failure(Reason.UNSUPPORTED_TRANSPORT, "the origin's answer lacks ICE credentials or a fingerprint");
        }
        DtlsFingerprint fingerprint = fingerprints.stream().filter(f -> f.algorithm().equals("sha-256")).findFirst()
                .orElse(fingerprints.getFirst());
        // We offered active; an origin answering active (it would be the client) is handled too.
        DtlsRole role = answer.setupOf(tag).orElse(Setup.PASSIVE) == Setup.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT;
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (IceCandidate c : tag.candidates()) {
            if (!c.isUdp()) continue;
            // A node advertises literal addresses; a host name (mDNS) would need a lookup, so it is skipped.
            if (!c.address().matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) continue;
            try {
                candidates.add(new InetSocketAddress(InetAddress.getByName(c.address()), c.port()));
            } catch (java.net.UnknownHostException e) {
                // Not a well-formed literal after all.
            }
        }
        if (candidates.isEmpty()) return failure(Reason.UNSUPPORTED_TRANSPORT, "the origin's answer has no UDP candidate with a literal address");
        List<TrackParameters> tracks = new ArrayList<>();
        for (MediaSection m : accepted) {
            Optional<TrackParameters> track = track(answer, m);
            if (track.isEmpty()) {
                return failure(Reason.NO_COMMON_CODEC, "the origin's " + m.media() + " section names no codec we offered");
            }
            tracks.add(track.get());
        }
        return new Read(new RelayAnswer(new TransportParameters(new IceParameters(ufrag.get(), pwd.get()), fingerprint, role),
                candidates, tracks));
    }

    /** The outcome of {@link #read}. */
    public sealed interface Result permits Read, Failed {}

    public record Read(RelayAnswer answer) implements Result {}

    public record Failed(NegotiationFailure failure) implements Result {}

    private static Failed failure(Reason reason, String detail) {
        return new Failed(new NegotiationFailure(reason, detail));
    }

    private static Optional<TrackParameters> track(SessionDescription answer, MediaSection m) {
        CodecTable table = new CodecTable(m);
        for (int pt : m.payloadTypes()) {
            Optional<RtpMap> map = m.rtpMap(pt);
            if (map.isEmpty() || !CodecSupport.isMedia(map.get())) continue;
            int rtx = CodecSupport.rtxFor(table, pt, map.get().clockRate()).orElse(-1);
            String fmtp = m.fmtp(pt).map(f -> f.parameterString()).orElse("");
            Codec codec = new Codec(pt, map.get().encodingName(), map.get().clockRate(), map.get().channels(), fmtp,
                    CodecSupport.feedback(table, pt), rtx);
            long ssrc = 0;
            long rtxSsrc = 0;
            Optional<SsrcGroup> fid = m.ssrcGroups().stream().filter(g -> g.is("FID") && g.ssrcs().size() == 2).findFirst();
            if (fid.isPresent()) {
                ssrc = fid.get().ssrcs().get(0);
                rtxSsrc = fid.get().ssrcs().get(1);
            } else if (!m.ssrcs().isEmpty()) {
                ssrc = m.ssrcs().getFirst().ssrc();
            }
            List<ExtMap> extensions = new ArrayList<>(m.extMaps());
            extensions.addAll(answer.extMaps());
            extensions.removeIf(e -> !e.direction().orElse(Direction.SENDRECV).sends());
            return Optional.of(new TrackParameters(m.kind().orElseThrow(), m.mid().orElse(m.media()), codec, ssrc, rtxSsrc,
                    HeaderExtensionSupport.ids(extensions)));
        }
        return Optional.empty();
    }
}
