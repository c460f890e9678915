package live.cascade.signaling.negotiation;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import live.cascade.signaling.negotiation.NegotiationFailure.Reason;
import live.cascade.signaling.sdp.Direction;
import live.cascade.signaling.sdp.ExtMap;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.RtpMap;
import live.cascade.signaling.sdp.SessionDescription;
import live.cascade.signaling.sdp.SsrcGroup;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;

/**
 * Answers a WHIP offer (RFC 9725): at most one audio and one video track of one MediaStream, one codec per track
 * chosen by {@link CodecPreferences}, received over one bundled ICE-lite transport. A video section offering RID
 * simulcast ({@link SimulcastOffer}) is answered with simulcast: one {@link TrackParameters} per layer, each with its
 * rid, and the rid and repaired-rid header extensions, from which the media plane learns each layer's SSRCs.
 * Stateless and thread-safe.
 */
public final class PublishNegotiator {
    private final CodecPreferences preferences;
    private final RandomGenerator random;

    public PublishNegotiator() {
        this(CodecPreferences.DEFAULT, new SecureRandom());
    }

    /** @param random used only for the answer's o= session id; must be thread-safe if the negotiator is shared */
    public PublishNegotiator(CodecPreferences preferences, RandomGenerator random) {
        this.preferences = Objects.requireNonNull(preferences, "preferences");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Negotiates the offer once: the plan carries the publisher's transport and track parameters, and writes the
     * answer once the transport that will carry the session exists.
     */
    public PublishPlanning plan(SessionDescription offer) {
        Objects.requireNonNull(offer, "offer");
        try {
            return planOf(offer);
        } catch (Unacceptable u) {
            return u.failure();
        }
    }

    /** {@link #plan} and its answer for {@code server} in one step, for callers whose transport exists already. */
    public PublishNegotiation negotiate(SessionDescription offer, ServerTransport server) {
        Objects.requireNonNull(server, "server");
        return switch (plan(offer)) {
            case PublishPlan p -> p.answer(server);
            case NegotiationFailure f -> f;
        };
    }

    private record Chosen(MediaSection section, MediaKind kind, RtpMap codec, Optional<Integer> rtxPt,
                          List<String> feedback, List<ExtMap> extensions, String fmtp, List<String> layers) {}

    private PublishPlan planOf(SessionDescription offer) throws Unacceptable {
        List<MediaSection> live = OfferChecks.liveSections(offer);
        OfferChecks.requireMedia(live);
        OfferChecks.requireOneTrackPerKind(offer, live);
        OfferChecks.requireOneStream(offer, live);
        OfferChecks.requireDirection(offer, live, true);
        OfferChecks.requireUsableSections(offer, live);
        List<String> bundle = OfferChecks.bundle(offer, live);
        OfferChecks.RemoteTransport remote = OfferChecks.remoteTransport(offer, live, bundle);

        List<Chosen> chosen = new ArrayList<>();
        for (MediaSection m : live) chosen.add(choose(offer, m));

        String sessionId = AnswerWriter.sessionId(random);
        List<Function<AnswerWriter, MediaSection>> sections = new ArrayList<>();
        List<TrackParameters> tracks = new ArrayList<>();
        for (MediaSection offered : offer.media()) {
            Optional<Chosen> c = chosen.stream().filter(x -> x.section() == offered).findFirst();
            if (c.isEmpty()) {
                sections.add(w -> AnswerWriter.declined(offered));
                continue;
            }
            sections.add(w -> writeSection(w, c.get()));
            TrackParameters track = track(c.get());
            if (c.get().layers().isEmpty()) tracks.add(track);
            else for (String rid : c.get().layers()) tracks.add(track.withRid(rid));
        }
        return new PublishPlan(remote.parameters(), tracks, new AnswerPlan(offer, remote, bundle, sessionId, sections));
    }

    private Chosen choose(SessionDescription offer, MediaSection m) throws Unacceptable {
        MediaKind kind = m.kind().orElseThrow();
        CodecTable table = new CodecTable(m);
        List<String> names = kind == MediaKind.AUDIO ? preferences.audio() : preferences.video();
        for (String name : names) {
            List<Integer> candidates = new ArrayList<>();
            for (int pt : table.payloadTypes()) {
                Optional<RtpMap> map = table.rtpMap(pt);
                if (map.isEmpty() || !map.get().isNamed(name)) continue;
                if (CodecSupport.isH264(name) && !CodecSupport.packetizationMode(table.parameters(pt)).equals("1")) continue;
                candidates.add(pt);
            }
            if (candidates.isEmpty()) continue;
            if (CodecSupport.isH264(name)) candidates.sort(Comparator.comparingInt(pt -> h264Rank(table, pt)));
            int pt = candidates.get(0);
            RtpMap codec = table.rtpMap(pt).orElseThrow();
            List<String> layers = kind == MediaKind.VIDEO ? SimulcastOffer.layers(m, pt) : List.of();
            return new Chosen(m, kind, codec, CodecSupport.rtxFor(table, pt, codec.clockRate()), CodecSupport.feedback(table, pt),
                    HeaderExtensionSupport.usable(offer, m, true, !layers.isEmpty()), table.fmtp(pt), layers);
        }
        throw new Unacceptable(Reason.NO_COMMON_CODEC, OfferChecks.name(offer, m) + " offers no codec we accept; we take "
                + accepted(kind) + ", the offer has " + CodecSupport.list(CodecSupport.offeredNames(table)));
    }

    /** Position of the offered profile-level-id in our preference list; unlisted ones keep their offer order after. */
    private int h264Rank(CodecTable m, int pt) {
        int i = preferences.h264ProfileLevelIds().indexOf(CodecSupport.profileLevelId(m.parameters(pt)));
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private String accepted(MediaKind kind) {
        List<String> names = kind == MediaKind.AUDIO ? preferences.audio() : preferences.video();
        return CodecSupport.list(names.stream().map(n -> CodecSupport.isH264(n) ? n + " (packetization-mode 1)" : n).toList());
    }

    private static MediaSection writeSection(AnswerWriter writer, Chosen c) {
        int pt = c.codec().payloadType();
        List<Integer> formats = c.rtxPt().isPresent() ? List.of(pt, c.rtxPt().get()) : List.of(pt);
        MediaSection.Builder b = writer.section(c.section(), Direction.RECVONLY, formats);
        for (ExtMap e : c.extensions()) b.attribute(HeaderExtensionSupport.answer(e).toAttribute());
        b.attribute(c.codec().toAttribute());
        for (String fb : c.feedback()) b.attribute("rtcp-fb", pt + " " + fb);
        if (!c.fmtp().isEmpty()) b.attribute("fmtp", pt + " " + c.fmtp());
        c.rtxPt().ifPresent(rtx -> {
            b.attribute(new RtpMap(rtx, "rtx", c.codec().clockRate(), 1).toAttribute());
            b.attribute("fmtp", rtx + " apt=" + pt);
        });
        if (!c.layers().isEmpty()) {
            for (String rid : c.layers()) b.attribute("rid", rid + " recv");
            b.attribute("simulcast", SimulcastOffer.answerValue(c.layers()));
        }
        return writer.finish(b);
    }

    private static TrackParameters track(Chosen c) {
        RtpMap map = c.codec();
        Codec codec = new Codec(map.payloadType(), map.encodingName(), map.clockRate(), map.channels(), c.fmtp(),
                c.feedback(), c.rtxPt().orElse(-1));
        // Simulcast layers' SSRCs come from the rid extension: an a=ssrc in such an offer names one layer at most.
        long[] ssrcs = c.layers().isEmpty() ? publisherSsrcs(c.section()) : new long[] {0, 0};
        HeaderExtensions ids = HeaderExtensionSupport.ids(c.extensions());
        return new TrackParameters(c.kind(), c.section().mid().orElseThrow(), codec, ssrcs[0],
                c.rtxPt().isPresent() ? ssrcs[1] : 0, ids);
    }

    /**
     * The media and RTX SSRC the publisher announced: the first SIM layer (legacy simulcast), else the first FID
     * pair, else the first a=ssrc; 0 when absent, to be learned from the mid extension.
     */
    static long[] publisherSsrcs(MediaSection m) {
        List<SsrcGroup> groups = m.ssrcGroups();
        Long media = null;
        for (SsrcGroup g : groups) {
            if (g.is("SIM") && !g.ssrcs().isEmpty()) { media = g.ssrcs().get(0); break; }
        }
        if (media == null) {
            for (SsrcGroup g : groups) {
                if (g.is("FID") && !g.ssrcs().isEmpty()) { media = g.ssrcs().get(0); break; }
            }
        }
        if (media == null && !m.ssrcs().isEmpty()) media = m.ssrcs().get(0).ssrc();
        if (media == null) return new long[] {0, 0};
        long rtx = 0;
        for (SsrcGroup g : groups) {
            if (g.is("FID") && g.ssrcs().size() >= 2 && g.ssrcs().get(0).equals(media)) { rtx = g.ssrcs().get(1); break; }
        }
        return new long[] {media, rtx};
    }
}
