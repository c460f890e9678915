package live.cascade.hls;

import live.cascade.hls.ladder.Rendition;
import live.cascade.hls.layers.KeyframeAlignment;
import live.cascade.hls.layers.LayerAligner;
import live.cascade.hls.layers.LayerCadence;
import live.cascade.hls.layers.LayerClock;
import live.cascade.hls.media.MediaPacket;
import live.cascade.hls.media.StreamFormat;
import live.cascade.hls.rtp.EncodedFrame;
import live.cascade.hls.rtp.H264Depacketizer;
import live.cascade.hls.rtp.TrackAssembler;
import live.cascade.sfu.codec.SpsParser;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;

/**
 * {@code --hls-simulcast copy}: the live HLS renditions are the publisher's H.264 simulcast layers as sent, one per
 * layer, no decode and no encode. Each layer is reassembled from its own RTP ({@link TrackAssembler}), placed on the
 * tap's timeline through the sender reports ({@link LayerClock}), grouped by picture ({@link LayerAligner}), and cut
 * only at pictures that are keyframes in every sending layer ({@link LayerCadence}), asking the publisher for keyframes
 * on all layers at once; {@link KeyframeAlignment} measures how often the layers come back keyed on the same picture.
 *
 * <p>The renditions open at the first picture keyed in every layer. If none comes within {@link #PROBATION_MICROS} of
 * the first frame (the publisher keys its layers independently, or its layers or reports never arrive), this gives up
 * for the broadcast, once, and the tap makes the configured ladder from the top layer instead.
 */
final class LayerRenditions {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    static final long MAX_WAIT_MICROS = 300_000;
    static final long PROBATION_MICROS = 8_000_000;
    private static final long REORDER_DELAY_NANOS = 80_000_000L;
    private static final long SUMMARY_EVERY_MICROS = 30_000_000;
    /** Frames a layer may hold while it cannot be placed (about 3 s at 30 fps); older ones go. */
    private static final int MAX_PENDING = 90;

    /** Where the copied layers go: LiveRenditions' segmenters. */
    interface Target {
        /** Opens one rendition per layer, largest first. */
        void open(List<Rendition> renditions, List<StreamFormat> formats);

        void video(String rendition, MediaPacket p, boolean boundary);

        /** The layer's parameter sets changed at this boundary: a new initialization segment after a discontinuity. */
        void discontinuity(String rendition, StreamFormat format);

        /** No picture keyed in every layer in time: make the ladder instead. */
        void fallBack();
    }

    private final String slug;
    private final Target target;
    private final Runnable askAllLayers;
    private final int n;
    private final String[] rids;
    private final TrackAssembler[] assemblers;
    private final ArrayDeque<EncodedFrame>[] pending;
    private final LayerClock clock;
    private final LayerAligner<EncodedFrame> aligner;
    private final LayerCadence cadence;
    private final KeyframeAlignment alignment;
    private final boolean[] present;
    private final boolean[] keyframe;
    private final boolean[] sending;
    private final boolean[] inSegment;
    private final long[] lastPts;
    private final long[] lastDurationTicks;
    private String[] names;
    private StreamFormat[] formats;
    private long firstReferencePts = Long.MIN_VALUE;
    private long nextSummary = Long.MIN_VALUE;
    private long overflowed;
    private boolean gaveUp;
    private boolean allPlaceable;
    /** Frames that came after their picture had gone out, before the renditions opened (not harmful then). */
    private long lateBeforeOpen;

    /**
     * The publication's H.264 simulcast layers (of the first m-section with layers), in offer order; empty when it has
     * none, fewer than two, or they are not H.264.
     */
    static List<TrackParameters> layersOf(List<TrackParameters> tracks) {
        List<TrackParameters> out = new ArrayList<>();
        String mid = null;
        for (TrackParameters t : tracks) {
            if (t.kind() != MediaKind.VIDEO || !t.isLayer()) continue;
            if (mid == null) mid = t.mid();
            if (t.mid().equals(mid)) out.add(t);
        }
        if (out.size() < 2 || !out.get(0).codec().name().equalsIgnoreCase("H264")) return List.of();
        return out;
    }

    /** True when the publication has simulcast layers of a codec other than H.264 (they cannot go into HLS as sent). */
    static boolean otherCodecLayers(List<TrackParameters> tracks) {
        long layers = tracks.stream().filter(t -> t.kind() == MediaKind.VIDEO && t.isLayer()).count();
        return layers >= 2 && layersOf(tracks).isEmpty();
    }

    @SuppressWarnings("unchecked")
    LayerRenditions(String slug, List<TrackParameters> layers, long segmentTargetMicros, Runnable askAllLayers, Target target) {
        this.slug = slug;
        this.target = target;
        this.askAllLayers = askAllLayers;
        this.n = layers.size();
        this.rids = new String[n];
        this.assemblers = new TrackAssembler[n];
        this.pending = new ArrayDeque[n];
        for (int i = 0; i < n; i++) {
            int layer = i;
            rids[i] = layers.get(i).rid();
            pending[i] = new ArrayDeque<>();
            assemblers[i] = new TrackAssembler(new H264Depacketizer(), layers.get(i).codec().payloadType(), REORDER_DELAY_NANOS);
            assemblers[i].setOutput(f -> onFrame(layer, f));
            assemblers[i].setLossListener(askAllLayers); // throttled by the router
        }
        this.clock = new LayerClock(n);
        this.aligner = new LayerAligner<>(n, MAX_WAIT_MICROS, EncodedFrame[]::new, this::onPicture);
        this.cadence = new LayerCadence(n, segmentTargetMicros);
        this.alignment = new KeyframeAlignment(n);
        this.present = new boolean[n];
        this.keyframe = new boolean[n];
        this.sending = new boolean[n];
        this.inSegment = new boolean[n];
        this.lastPts = new long[n];
        this.lastDurationTicks = new long[n];
        Arrays.fill(lastPts, Long.MIN_VALUE);
        Arrays.fill(lastDurationTicks, 3000);
    }

    // ------------------------------------------------------------------ input

    void onRtp(int layer, byte[] buf, int len, long arrivalNanos) {
        if (!gaveUp && layer >= 0 && layer < n) assemblers[layer].onRtp(buf, 0, len, arrivalNanos);
    }

    void onLayerReport(int layer, long ntp, long rtp) {
        if (gaveUp || layer < 0 || layer >= n) return;
        clock.layerReport(layer, ntp, rtp);
        placeAll();
    }

    /** The reference stream's (the tap's video track's) sender report. */
    void onReferenceReport(long ntp, long rtp) {
        if (gaveUp) return;
        clock.referenceReport(ntp, rtp);
        placeAll();
    }

    /** A frame of the reference stream reached the timeline at {@code pts}. */
    void onReference(long rtpTimestamp, long pts) {
        if (gaveUp) return;
        clock.reference(rtpTimestamp, pts);
        if (firstReferencePts == Long.MIN_VALUE) firstReferencePts = pts;
        placeAll();
        aligner.advance(pts);
        if (names == null && pts - firstReferencePts > PROBATION_MICROS) giveUp();
        if (names != null && pts >= nextSummary) {
            if (nextSummary != Long.MIN_VALUE) LOG.info("channel {}: simulcast HLS so far: {}", slug, summary());
            nextSummary = pts + SUMMARY_EVERY_MICROS;
        }
    }

    void poll(long nowNanos) {
        if (gaveUp) return;
        for (TrackAssembler a : assemblers) a.poll(nowNanos);
    }

    private void onFrame(int layer, EncodedFrame f) {
        ArrayDeque<EncodedFrame> q = pending[layer];
        q.addLast(f);
        if (q.size() > MAX_PENDING) {
            q.removeFirst();
            overflowed++;
        }
        place(layer);
    }

    private void placeAll() {
        for (int i = 0; i < n; i++) place(i);
    }

    private void place(int layer) {
        // Not before every layer can be placed (its first sender report may come a second after its first frame):
        // the layers placed first would have their pictures released without the others', whose frames came late.
        if (!placeable()) return;
        ArrayDeque<EncodedFrame> q = pending[layer];
        while (!q.isEmpty()) {
            long pts = clock.place(layer, q.peekFirst().rtpTimestamp());
            if (pts == LayerClock.NOT_YET) return;
            aligner.add(layer, pts, q.removeFirst());
        }
    }

    private boolean placeable() {
        if (allPlaceable) return true;
        for (int i = 0; i < n; i++) if (!clock.canPlace(i)) return false;
        allPlaceable = true;
        return true;
    }

    // ------------------------------------------------------------------ pictures

    private void onPicture(long pts, EncodedFrame[] frames) {
        if (gaveUp) return;
        for (int i = 0; i < n; i++) {
            present[i] = frames[i] != null;
            keyframe[i] = present[i] && frames[i].keyframe();
            sending[i] = present[i] || cadence.sending(i, pts);
        }
        alignment.onPicture(pts, present, keyframe, sending);
        LayerCadence.Decision d = cadence.onPicture(pts, present, keyframe);
        if (d.requestKeyframes()) {
            alignment.asked(pts);
            askAllLayers.run();
        }
        if (d.cut()) {
            alignment.cut(pts);
            if (names == null) open(frames);
        }
        if (names == null) return;
        for (int i = 0; i < n; i++) {
            if (!present[i]) continue;
            EncodedFrame f = frames[i];
            if (lastPts[i] != Long.MIN_VALUE) lastDurationTicks[i] = Math.min(90_000, Math.max(1, (pts - lastPts[i]) * 90 / 1000));
            lastPts[i] = pts;
            if (d.cut()) inSegment[i] = names[i] != null && f.keyframe() && followParameterSets(i, f);
            else if (f.keyframe() && inSegment[i] && changedParameterSets(i, f)) {
                inSegment[i] = false; // new sizes mid-segment: this layer waits for the next common boundary
                askAllLayers.run();
            }
            if (!inSegment[i]) continue;
            long ticks = MediaPacket.ticks(pts, 90_000);
            target.video(names[i], new MediaPacket(f.data(), ticks, ticks, lastDurationTicks[i], 90_000, f.keyframe()), d.cut());
        }
    }

    /** At the first picture keyed in every layer: one rendition per layer there, named by height, largest first. */
    private void open(EncodedFrame[] frames) {
        names = new String[n];
        formats = new StreamFormat[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (frames[i] == null) continue;
            formats[i] = format(frames[i].data());
            if (formats[i] != null) order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> (long) formats[i].width() * formats[i].height()).reversed());
        List<Rendition> renditions = new ArrayList<>();
        List<StreamFormat> fs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i : order) {
            String name = formats[i].height() + "p";
            // Two layers of one height (a publisher's choice): the layer's position tells them apart (URIs take [a-z0-9]).
            if (!taken.add(name)) name = name + i;
            taken.add(name);
            names[i] = name;
            renditions.add(new Rendition(name, true, formats[i].width(), formats[i].height(), 0));
            fs.add(formats[i]);
        }
        lateBeforeOpen = aligner.late();
        LOG.info("channel {}: HLS renditions copied from the simulcast layers {} (no encoding)", slug,
                order.stream().map(i -> rids[i] + " " + formats[i].width() + "x" + formats[i].height()).toList());
        target.open(renditions, fs);
    }

    /** At a boundary: a layer whose parameter sets changed continues after a discontinuity; false when unreadable. */
    private boolean followParameterSets(int i, EncodedFrame f) {
        if (!changedParameterSets(i, f)) return true;
        StreamFormat next = format(f.data());
        if (next == null) return false;
        LOG.info("channel {}: simulcast layer {} changed its H.264 parameter sets ({}x{}); its rendition continues after a discontinuity",
                slug, rids[i], next.width(), next.height());
        formats[i] = next;
        target.discontinuity(names[i], next);
        return true;
    }

    private boolean changedParameterSets(int i, EncodedFrame f) {
        byte[] extra = H264Depacketizer.parameterSets(f.data());
        return extra != null && formats[i] != null && !Arrays.equals(extra, formats[i].extradata());
    }

    /** A layer's format from its keyframe's SPS and PPS (size from the SPS), or null without them. */
    static StreamFormat format(byte[] keyframe) {
        byte[] extra = H264Depacketizer.parameterSets(keyframe);
        if (extra == null) return null;
        int spsEnd = 4;
        while (spsEnd + 3 < extra.length && !(extra[spsEnd] == 0 && extra[spsEnd + 1] == 0 && extra[spsEnd + 2] == 0 && extra[spsEnd + 3] == 1)) spsEnd++;
        SpsParser sps = new SpsParser();
        if (!sps.parse(extra, 4, spsEnd - 4) || sps.width() <= 0 || sps.height() <= 0) return null;
        return new StreamFormat(true, AV_CODEC_ID_H264, sps.width(), sps.height(), 0, 0, extra, 90_000, 0, 0,
                StreamFormat.avcCodecString(extra));
    }

    // ------------------------------------------------------------------ lifecycle

    private void giveUp() {
        gaveUp = true;
        LOG.warn("channel {}: --hls-simulcast copy: no picture was a keyframe in every layer within {} s ({}); HLS renditions are encoded from the top layer instead (the configured ladder)",
                slug, PROBATION_MICROS / 1_000_000, summary());
        target.fallBack();
    }

    /** A new publisher: new streams; the next picture keyed in every layer starts segments everywhere. */
    void restart() {
        for (TrackAssembler a : assemblers) a.restart();
        for (ArrayDeque<EncodedFrame> q : pending) q.clear();
        clock.reset();
        allPlaceable = false;
        aligner.clear();
        cadence.restart();
        alignment.restart();
        Arrays.fill(inSegment, false);
        Arrays.fill(lastPts, Long.MIN_VALUE);
    }

    /** The end of the broadcast: what is held goes out, and the figures to the log. */
    void finish() {
        if (gaveUp) return;
        aligner.flush();
        LOG.info("channel {}: simulcast HLS: {}", slug, summary());
    }

    boolean gaveUp() { return gaveUp; }

    boolean opened() { return names != null; }

    KeyframeAlignment alignment() { return alignment; }

    String summary() {
        return alignment.summary() + String.format(Locale.ROOT, "; layer frames matched to their picture by timestamp %d, by the sender reports %d (worst report error %.2f ms), by distance %d, late (dropped) %d before the renditions opened and %d after, overflowed %d",
                clock.matched(), clock.snapped(), clock.worstSnapTicks() / 90.0, clock.extrapolated(), lateBeforeOpen,
                aligner.late() - lateBeforeOpen, overflowed);
    }
}
