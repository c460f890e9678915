package live.cascade.signaling.negotiation;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.Msid;
import live.cascade.signaling.sdp.RtpMap;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.SsrcAttribute;
import live.cascade.signaling.sdp.SsrcGroup;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.TrackParameters;

/**
 * Answers a WHEP offer: each of the viewer's audio/video m-sections gets the publisher's track of that kind, in the
 * publisher's codec under the viewer's payload type, with SSRCs chosen for this viewer. We never transcode, so a
 * viewer that cannot decode the publisher's codec is refused with a detail saying why. A section whose kind the
 * stream lacks is declined (port 0). Thread-safe when its random generator is.
 */
public final class PlaybackNegotiator {
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final RandomGenerator random;

    public PlaybackNegotiator() {
        this(new SecureRandom());
    }

    /** @param random chooses SSRCs, msid and cname tokens and the o= session id */
    public PlaybackNegotiator(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Negotiates the offer once: the plan carries the viewer's transport parameters and its tracks (SSRCs chosen), and
     * writes the answer once the transport that will carry the session exists.
     *
     * @param publisherTracks the live publisher's tracks as {@link PublishNegotiator} produced them
     */
    public PlaybackPlanning plan(SessionDescription offer, List<TrackParameters> publisherTracks) {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(publisherTracks, "publisherTracks");
        try {
            return planOf(offer, List.copyOf(publisherTracks));
        } catch (Unacceptable u) {
            return u.failure();
        }
    }

    /** {@link #plan} and its answer for {@code server} in one step, for callers whose transport exists already. */
    public PlaybackNegotiation negotiate(SessionDescription offer, List<TrackParameters> publisherTracks, ServerTransport server) {
        Objects.requireNonNull(server, "server");
        return switch (plan(offer, publisherTracks)) {
            case PlaybackPlan p -> p.answer(server);
            case NegotiationFailure f -> f;
        };
    }

    private record Filled(MediaSection section, TrackParameters publisher, RtpMap codec, Optional<Integer> rtxPt,
                          List<String> feedback, List<ExtMap> extensions) {}

    private PlaybackPlan planOf(SessionDescription offer, List<TrackParameters> publisherTracks) throws Unacceptable {
        List<MediaSection> live = OfferChecks.liveSections(offer);
        OfferChecks.requireMedia(live);
        OfferChecks.requireOneTrackPerKind(offer, live);
        OfferChecks.requireDirection(offer, live, false);

        List<Filled> filled = new ArrayList<>();
        for (MediaSection m : live) {
            Optional<TrackParameters> pub = publisherTracks.stream().filter(t -> t.kind() == m.kind().orElseThrow()).findFirst();
            if (pub.isPresent()) filled.add(fill(offer, m, pub.get()));
        }
        if (filled.isEmpty()) throw nothingToPlay(live, publisherTracks);

        List<MediaSection> accepted = filled.stream().map(Filled::section).toList();
        OfferChecks.requireUsableSections(offer, accepted);
        List<String> bundle = OfferChecks.bundle(offer, accepted);
        OfferChecks.RemoteTransport remote = OfferChecks.remoteTransport(offer, accepted, bundle);

        // Drawn in the order the answer was always written in, so a seeded generator gives the same answer as before.
        String sessionId = AnswerWriter.sessionId(random);
        String streamId = token(16);
        String cname = token(16);
        Set<Long> usedSsrcs = new HashSet<>();
        for (MediaSection m : offer.media()) for (SsrcAttribute s : m.ssrcs()) usedSsrcs.add(s.ssrc());

        List<Function<AnswerWriter, MediaSection>> sections = new ArrayList<>();
        List<TrackParameters> tracks = new ArrayList<>();
        for (MediaSection offered : offer.media()) {
            Optional<Filled> f = filled.stream().filter(x -> x.section() == offered).findFirst();
            if (f.isEmpty()) {
                sections.add(w -> AnswerWriter.declined(offered));
                continue;
            }
            long ssrc = freshSsrc(usedSsrcs);
            long rtxSsrc = f.get().rtxPt().isPresent() ? freshSsrc(usedSsrcs) : 0;
            Msid msid = new Msid(streamId, OfferChecks.kindName(f.get().publisher().kind()) + "-" + token(12));
            sections.add(w -> writeSection(w, f.get(), msid, cname, ssrc, rtxSsrc));
            tracks.add(track(f.get(), ssrc, rtxSsrc));
        }
        return new PlaybackPlan(remote.parameters(), tracks, new AnswerPlan(offer, remote, bundle, sessionId, sections));
    }

    private static Filled fill(SessionDescription offer, MediaSection m, TrackParameters publisher) throws Unacceptable {
        Codec pub = publisher.codec();
        CodecTable table = new CodecTable(m);
        Map<String, String> pubParams = CodecSupport.parameters(pub);
        int bestPt = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int pt : table.payloadTypes()) {
            Optional<RtpMap> map = table.rtpMap(pt);
            if (map.isEmpty()) continue;
            Codec offered = new Codec(pt, map.get().encodingName(), map.get().clockRate(), map.get().channels(), "", List.of(), -1);
            if (!offered.sameFormat(pub)) continue;
            int rank = compatibility(pub.name(), pubParams, table.parameters(pt));
            if (rank >= 0 && rank < bestRank) {
                bestRank = rank;
                bestPt = pt;
            }
        }
        if (bestPt < 0) {
            List<String> offered = table.offersName(pub.name()) ? CodecSupport.offeredNames(table) : CodecSupport.offeredPlainNames(table);
            throw new Unacceptable(Reason.NO_COMMON_CODEC, "this stream is " + CodecSupport.describe(pub)
                    + "; your player offered only " + CodecSupport.list(offered));
        }
        RtpMap codec = new RtpMap(bestPt, pub.name(), pub.clockRate(), pub.channels());
        return new Filled(m, publisher, codec, CodecSupport.rtxFor(table, bestPt, pub.clockRate()),
                CodecSupport.feedback(table, bestPt), HeaderExtensionSupport.usable(offer, m, false));
    }

    /**
     * -1 when the viewer cannot decode the publisher's stream under these parameters, else lower is better.
     * H.264 must agree on packetization mode and profile_idc (the level may differ: level-asymmetry); VP9 and AV1
     * must agree on profile.
     */
    private static int compatibility(String name, Map<String, String> pub, Map<String, String> viewer) {
        if (CodecSupport.isH264(name)) {
            if (!CodecSupport.packetizationMode(pub).equals(CodecSupport.packetizationMode(viewer))) return -1;
            String p = CodecSupport.profileLevelId(pub);
            String v = CodecSupport.profileLevelId(viewer);
            if (!CodecSupport.profileIdc(p).equals(CodecSupport.profileIdc(v))) return -1;
            if (p.equals(v)) return 0;
            return CodecSupport.profile(p).equals(CodecSupport.profile(v)) ? 1 : 2;
        }
        if (name.equalsIgnoreCase("VP9")) {
            return pub.getOrDefault("profile-id", "0").equals(viewer.getOrDefault("profile-id", "0")) ? 0 : -1;
        }
        if (name.equalsIgnoreCase("AV1")) {
            return pub.getOrDefault("profile", "0").equals(viewer.getOrDefault("profile", "0")) ? 0 : -1;
        }
        return 0;
    }

    private static Unacceptable nothingToPlay(List<MediaSection> live, List<TrackParameters> publisherTracks) {
        List<String> asked = live.stream().map(MediaSection::media).distinct().toList();
        if (publisherTracks.isEmpty()) {
            return new Unacceptable(Reason.NOTHING_TO_PLAY, "the stream has no tracks to play");
        }
        List<String> has = publisherTracks.stream().map(t -> OfferChecks.kindName(t.kind())).distinct().toList();
        return new Unacceptable(Reason.NOTHING_TO_PLAY, "this stream has " + String.join(" and ", has)
                + " only; your player asked for " + String.join(" and ", asked) + " only");
    }

    private static MediaSection writeSection(AnswerWriter writer, Filled f, Msid msid, String cname, long ssrc, long rtxSsrc) {
        int pt = f.codec().payloadType();
        List<Integer> formats = f.rtxPt().isPresent() ? List.of(pt, f.rtxPt().get()) : List.of(pt);
        MediaSection.Builder b = writer.section(f.section(), Direction.SENDONLY, formats);
        for (ExtMap e : f.extensions()) b.attribute(HeaderExtensionSupport.answer(e).toAttribute());
        b.attribute(msid.toAttribute());
        b.attribute(f.codec().toAttribute());
        for (String fb : f.feedback()) b.attribute("rtcp-fb", pt + " " + fb);
        // We send the publisher's stream untouched, so its format parameters describe what the viewer will get.
        String fmtp = f.publisher().codec().fmtp();
        if (!fmtp.isEmpty()) b.attribute("fmtp", pt + " " + fmtp);
        f.rtxPt().ifPresent(rtx -> {
            b.attribute(new RtpMap(rtx, "rtx", f.codec().clockRate(), 1).toAttribute());
            b.attribute("fmtp", rtx + " apt=" + pt);
            b.attribute(new SsrcGroup("FID", List.of(ssrc, rtxSsrc)).toAttribute());
        });
        b.attribute(new SsrcAttribute(ssrc, "cname", cname).toAttribute());
        b.attribute(new SsrcAttribute(ssrc, "msid", msid.value()).toAttribute());
        if (rtxSsrc != 0) {
            b.attribute(new SsrcAttribute(rtxSsrc, "cname", cname).toAttribute());
            b.attribute(new SsrcAttribute(rtxSsrc, "msid", msid.value()).toAttribute());
        }
        return writer.finish(b);
    }

    private static TrackParameters track(Filled f, long ssrc, long rtxSsrc) {
        Codec pub = f.publisher().codec();
        Codec codec = new Codec(f.codec().payloadType(), pub.name(), pub.clockRate(), pub.channels(), pub.fmtp(),
                f.feedback(), f.rtxPt().orElse(-1));
        return new TrackParameters(f.publisher().kind(), f.section().mid().orElseThrow(), codec, ssrc, rtxSsrc,
                HeaderExtensionSupport.ids(f.extensions()));
    }

    /** A random non-zero SSRC unused in this RTP session (RFC 3550 §8.1). */
    private long freshSsrc(Set<Long> used) {
        long s;
        do {
            s = random.nextLong(1L, 0x1_0000_0000L);
        } while (!used.add(s));
        return s;
    }

    private String token(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        return b.toString();
    }
}
