package live.cascade.signaling.negotiation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.Group;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.Setup;
import live.cascade.sfu.params.DtlsFingerprint;
import live.cascade.sfu.params.DtlsRole;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TransportParameters;

/** The structural rules WHIP and WHEP offers share (RFC 9725 §4.2, WHEP §4.2): one stream, bundled, muxed, DTLS. */
final class OfferChecks {
    private OfferChecks() {}

    /** The remote transport and the {@code a=setup} our answer must carry. */
    record RemoteTransport(TransportParameters parameters, Setup answerSetup) {}

    /** Audio and video sections the offerer did not reject; application and other media are always declined. */
    static List<MediaSection> liveSections(SessionDescription offer) {
        return offer.media().stream().filter(m -> m.kind().isPresent() && !m.isRejected()).toList();
    }

    static void requireMedia(List<MediaSection> live) throws Unacceptable {
        if (live.isEmpty()) {
            throw new Unacceptable(Reason.NO_MEDIA, "the offer has no audio and no video m-section");
        }
    }

    static void requireOneTrackPerKind(SessionDescription offer, List<MediaSection> live) throws Unacceptable {
        Map<MediaKind, List<String>> byKind = new EnumMap<>(MediaKind.class);
        for (MediaSection m : live) byKind.computeIfAbsent(m.kind().orElseThrow(), k -> new ArrayList<>()).add(name(offer, m));
        for (var e : byKind.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new Unacceptable(Reason.TOO_MANY_TRACKS, "the offer has " + e.getValue().size() + " "
                        + kindName(e.getKey()) + " tracks (" + String.join(", ", e.getValue())
                        + "); a session carries at most one audio and one video track");
            }
        }
    }

    /** Tracks without a MediaStream ({@code msid:-}) or without msid fit with any stream. */
    static void requireOneStream(SessionDescription offer, List<MediaSection> live) throws Unacceptable {
        String firstStream = null;
        String firstSection = null;
        for (MediaSection m : live) {
            for (var msid : m.msids()) {
                if (!msid.hasStream()) continue;
                if (firstStream == null) {
                    firstStream = msid.streamId();
                    firstSection = name(offer, m);
                } else if (!firstStream.equals(msid.streamId())) {
                    throw new Unacceptable(Reason.MULTIPLE_STREAMS, firstSection + " is in MediaStream '" + firstStream
                            + "' but " + name(offer, m) + " is in MediaStream '" + msid.streamId()
                            + "'; send all tracks in one MediaStream");
                }
            }
        }
    }

    static void requireDirection(SessionDescription offer, List<MediaSection> live, boolean offererSends) throws Unacceptable {
        for (MediaSection m : live) {
            Direction d = offer.directionOf(m);
            boolean ok = offererSends ? d.sends() : d.receives();
            if (!ok) {
                throw new Unacceptable(Reason.WRONG_DIRECTION, name(offer, m) + " is " + d.attributeName() + "; "
                        + (offererSends ? "a WHIP offer must send (sendonly or sendrecv)"
                                        : "a WHEP offer must receive (recvonly or sendrecv)"));
            }
        }
    }

    /** Every section we answer must carry a mid, ask for rtcp-mux, and use DTLS-SRTP. */
    static void requireUsableSections(SessionDescription offer, List<MediaSection> accepted) throws Unacceptable {
        for (MediaSection m : accepted) {
            if (m.mid().isEmpty()) {
                throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT, name(offer, m) + " has no a=mid; offers must be JSEP offers with a mid per m-section");
            }
            if (!m.rtcpMux()) {
                throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT, name(offer, m) + " does not offer a=rtcp-mux, which is required");
            }
            if (!m.protocol().toUpperCase(Locale.ROOT).contains("RTP/SAVP")) {
                throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT, name(offer, m) + " uses " + m.protocol()
                        + "; only DTLS-SRTP (UDP/TLS/RTP/SAVPF) is supported");
            }
        }
    }

    /**
     * The mids of our BUNDLE group, in the offer's group order: we answer max-bundle, so when we accept more than one
     * section the offer must already bundle them all. A single section needs no group; we only echo one if offered.
     */
    static List<String> bundle(SessionDescription offer, List<MediaSection> accepted) throws Unacceptable {
        List<String> mids = accepted.stream().map(m -> m.mid().orElseThrow()).toList();
        Optional<Group> group = offer.bundleGroup();
        if (group.isEmpty()) {
            if (mids.size() > 1) {
                throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT,
                        "the offer has no a=group:BUNDLE; all media must share one transport (max-bundle)");
            }
            return List.of();
        }
        for (String mid : mids) {
            if (!group.get().mids().contains(mid)) {
                throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT,
                        "mid " + mid + " is not in the offer's BUNDLE group; all media must share one transport (max-bundle)");
            }
        }
        return group.get().mids().stream().filter(mids::contains).toList();
    }

    /**
     * The remote ICE credentials and fingerprint from the section that tags the bundle (the first of our group, or the
     * only accepted section), and our DTLS role: the offerer's {@code actpass} or {@code active} makes us the DTLS
     * server (answer {@code passive}); its {@code passive}, as FFmpeg sends, makes us the client (answer {@code active}).
     */
    static RemoteTransport remoteTransport(SessionDescription offer, List<MediaSection> accepted, List<String> bundleMids)
            throws Unacceptable {
        MediaSection tag = bundleMids.isEmpty() ? accepted.get(0) : offer.section(bundleMids.get(0)).orElseThrow();
        String ufrag = offer.iceUfragOf(tag).orElseThrow(() -> new Unacceptable(Reason.UNSUPPORTED_TRANSPORT,
                name(offer, tag) + " has no a=ice-ufrag"));
        String pwd = offer.icePwdOf(tag).orElseThrow(() -> new Unacceptable(Reason.UNSUPPORTED_TRANSPORT,
                name(offer, tag) + " has no a=ice-pwd"));
        List<DtlsFingerprint> fingerprints = offer.fingerprintsOf(tag);
        if (fingerprints.isEmpty()) {
            throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT, name(offer, tag) + " has no a=fingerprint; DTLS-SRTP needs one");
        }
        DtlsFingerprint fingerprint = fingerprints.stream().filter(f -> f.algorithm().equals("sha-256")).findFirst()
                .orElse(fingerprints.get(0));
        // RFC 4145 §4: a missing a=setup means active.
        Setup remote = offer.setupOf(tag).orElse(Setup.ACTIVE);
        DtlsRole role;
        Setup answer;
        switch (remote) {
            case ACTPASS, ACTIVE -> { role = DtlsRole.SERVER; answer = Setup.PASSIVE; }
            case PASSIVE -> { role = DtlsRole.CLIENT; answer = Setup.ACTIVE; }
            default -> throw new Unacceptable(Reason.UNSUPPORTED_TRANSPORT,
                    name(offer, tag) + " says a=setup:holdconn; there would be no DTLS connection");
        }
        return new RemoteTransport(new TransportParameters(new IceParameters(ufrag, pwd), fingerprint, role), answer);
    }

    /** How details name a section: by kind and mid, or by position when it has no mid. */
    static String name(SessionDescription offer, MediaSection m) {
        Optional<String> mid = m.mid();
        if (mid.isPresent()) return "the " + m.media() + " m-section (mid " + mid.get() + ")";
        return "the " + m.media() + " m-section #" + (offer.media().indexOf(m) + 1);
    }

    static String kindName(MediaKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
