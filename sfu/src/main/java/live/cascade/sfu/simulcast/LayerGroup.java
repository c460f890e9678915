package live.cascade.sfu.simulcast;

import java.util.Arrays;
import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.rtp.RtpHeader;

/**
 * The simulcast layers of one publisher m-section, ranked best first by what the router measures: layers that sent
 * within {@link #ACTIVE_NANOS} before inactive ones, then picture size (from the last keyframe's SPS / VP8 header),
 * then incoming media bitrate (without padding and RTX). The rid names nothing about size (Chromium's {@code h;m;l} and {@code q;h;f}, OBS's
 * {@code 0;1;2}), so it is never used to rank. Re-ranked on the router's tick; until measured the offer order stands.
 *
 * <p>Also chooses what the in-process sinks (HLS tap, recordings) see: always the top layer, switched only at a
 * keyframe of the new top layer so a sink never gets a stream that starts mid-picture, and rewritten (SSRC, sequence
 * numbers, timestamps: {@link #rewriteForSinks}) so that a switch is no restart for them: each layer has its own
 * timestamp base, which a recording would take for a jump of hours.
 *
 * <p>And keeps the {@link LayerDemand}: which layers are consumed, so that a publisher that can (our studio) stops
 * encoding the others. A layer paused that way stays {@link #available} to the choice with its last measured bitrate.
 */
public final class LayerGroup {
    /** A layer with no packet for this long is paused (the publisher dropped it for want of bandwidth). */
    public static final long ACTIVE_NANOS = 2_000_000_000L;
    /** The longest the sinks wait for every sending layer's first keyframe before they take the best layer measured. */
    static final long FIRST_SINK_WAIT_NANOS = 1_000_000_000L;

    private final PublisherTrack[] layers;
    private final PublisherTrack[] ranked;
    private long rankedAtNanos = Long.MIN_VALUE;
    private PublisherTrack sink;
    private long firstKeyframeNanos = Long.MIN_VALUE;
    private RtpRewriter sinkRewriter;
    private byte[] sinkBuffer;
    private final LayerDemand demand;
    /** Whether the publisher stops the layers it is told nobody consumes (our studio does; WHIP has no such message). */
    private boolean pausing;
    private final boolean[] activeScratch;
    private final long[] bitrateScratch;

    public LayerGroup(PublisherTrack[] layers) {
        if (layers.length < 2) throw new IllegalArgumentException("simulcast needs at least two layers");
        this.layers = layers.clone();
        this.ranked = layers.clone();
        this.demand = new LayerDemand(layers.length);
        this.activeScratch = new boolean[layers.length];
        this.bitrateScratch = new long[layers.length];
    }

    public int size() { return layers.length; }

    /** The layers in offer order. */
    public PublisherTrack layer(int i) { return layers[i]; }

    /** The {@code i}-th best layer (0 = best) as of the last {@link #rank}. */
    public PublisherTrack ranked(int i) { return ranked[i]; }

    /** The position of {@code t} in the ranking (0 = best), -1 when it is not a layer of this group. */
    public int rankOf(PublisherTrack t) {
        for (int i = 0; i < ranked.length; i++) if (ranked[i] == t) return i;
        return -1;
    }

    public boolean contains(PublisherTrack t) { return indexOf(t) >= 0; }

    /** The position of {@code t} in offer order (what {@link #layer} takes), -1 when it is not a layer of this group. */
    public int indexOf(PublisherTrack t) {
        for (int i = 0; i < layers.length; i++) if (layers[i] == t) return i;
        return -1;
    }

    /** The layer with this rid, or null. */
    public PublisherTrack byRid(String rid) {
        for (PublisherTrack l : layers) if (l.rid.equals(rid)) return l;
        return null;
    }

    public static boolean active(PublisherTrack t, long now) {
        return t.lastSeenNanos >= 0 && now - t.lastSeenNanos < ACTIVE_NANOS;
    }

    /**
     * Whether the layer choice may pick {@code t}: it is {@link #active sending}, or (when the publisher pauses layers
     * on request) it is paused for want of viewers or was just resumed, so picking it brings it back.
     */
    public boolean available(PublisherTrack t, long now) {
        if (active(t, now)) return true;
        int i;
        return pausing && (i = indexOf(t)) >= 0 && demand.offered(i, now);
    }

    /** The layer's media bitrate: measured now, or for a paused layer what it measured when it was paused. */
    public long bitrateOf(PublisherTrack t) {
        int i;
        if (pausing && (i = indexOf(t)) >= 0 && demand.paused(i)) return demand.pausedBitrate(i);
        return t.mediaBitrate;
    }

    /**
     * The layer's media bitrate as a move onto it must plan for: the peak of its last few seconds (see
     * {@link PublisherTrack#mediaBitratePeak}), or for a paused layer what it had when it was paused.
     */
    public long fitBitrateOf(PublisherTrack t) {
        int i;
        if (pausing && (i = indexOf(t)) >= 0 && demand.paused(i)) return demand.pausedBitrate(i);
        return Math.max(t.mediaBitrate, t.mediaBitratePeak);
    }

    /** Re-ranks (in place, insertion sort over a handful of layers: no allocation). */
    public void rank(long now) {
        rankedAtNanos = now;
        for (int i = 1; i < ranked.length; i++) {
            PublisherTrack t = ranked[i];
            int j = i - 1;
            while (j >= 0 && better(t, ranked[j], now)) {
                ranked[j + 1] = ranked[j];
                j--;
            }
            ranked[j + 1] = t;
        }
    }

    private boolean better(PublisherTrack a, PublisherTrack b, long now) {
        boolean aa = available(a, now), ab = available(b, now);
        if (aa != ab) return aa;
        long pa = (long) a.width * a.height, pb = (long) b.width * b.height;
        if (pa != pb) return pa > pb;
        return bitrateOf(a) > bitrateOf(b);
    }

    // ---------------------------------------------------------------- pausing unconsumed layers

    /** Tells the group whether its publisher honours pauses; without, paused layers are only reported. */
    public void pausing(boolean on) { this.pausing = on; }

    public boolean pausing() { return pausing; }

    /** Somebody consumes {@code t} now, or is about to (see {@link LayerDemand#want}). */
    public void want(PublisherTrack t, long now) {
        int i = indexOf(t);
        if (i >= 0) demand.want(i, now);
    }

    /** After the tick's {@link #want} calls: pauses what has gone unwanted long enough. */
    public void updateDemand(long now) {
        for (int i = 0; i < layers.length; i++) {
            activeScratch[i] = active(layers[i], now);
            bitrateScratch[i] = Math.max(layers[i].mediaBitrate, layers[i].mediaBitratePeak);
        }
        demand.update(now, activeScratch, bitrateScratch);
    }

    public boolean paused(PublisherTrack t) {
        int i = indexOf(t);
        return i >= 0 && demand.paused(i);
    }

    /** The best layer now. */
    public PublisherTrack top() { return ranked[0]; }

    /**
     * Whether the sinks get this packet of layer {@code t}: yes for the current sink layer, and a keyframe of the top
     * layer makes it the sink layer (the first, or a better one found by measuring). The first is chosen only once every
     * layer's size is known (or {@link #FIRST_SINK_WAIT_NANOS} after the first keyframe, for a layer that never comes):
     * the smallest layer's keyframe usually comes first, and a tap that started on it would plan its HLS ladder for the
     * smallest picture.
     */
    public boolean feedsSinks(PublisherTrack t, boolean keyframe, long now) {
        if (keyframe && firstKeyframeNanos == Long.MIN_VALUE) firstKeyframeNanos = now;
        if (t != sink && keyframe && t == ranked[0] && (sink != null || everyLayerMeasured(now))) sink = t;
        return t == sink;
    }

    private boolean everyLayerMeasured(long now) {
        if (now - firstKeyframeNanos > FIRST_SINK_WAIT_NANOS) return true;
        for (PublisherTrack l : layers) if (l.width == 0) return false;
        return true;
    }

    /**
     * Makes the sinks' stream one continuous stream: {@code rewriter} (no header extensions kept, no transport-wide
     * numbers) writes the sink layer's packets into a buffer of {@code bufferSize} bytes owned by this group.
     */
    public void rewriteSinkStream(RtpRewriter rewriter, int bufferSize) {
        this.sinkRewriter = rewriter;
        this.sinkBuffer = new byte[bufferSize];
    }

    /** The sink layer's packet as the sinks' one stream (in {@link #sinkBuffer()}), its length; -1 when stale. */
    public int rewriteForSinks(PublisherTrack t, RtpHeader packet, long now) {
        sinkRewriter.setInputExtensions(t.extensions);
        return sinkRewriter.rewrite(packet, sinkBuffer, 0, now) ? sinkRewriter.outLength() : -1;
    }

    public byte[] sinkBuffer() { return sinkBuffer; }

    /** A sender report's RTP timestamp of the sink layer, in the sinks' stream (-1 for another layer or before any). */
    public long sinkTimestamp(PublisherTrack t, long rtpTimestamp) {
        if (t != sink || sinkRewriter == null || !sinkRewriter.isAnchored() || sinkRewriter.inputSsrc() != t.ssrc) return -1;
        return sinkRewriter.mapTimestamp(rtpTimestamp);
    }

    /** The layer the sinks follow, null before the first keyframe. */
    public PublisherTrack sinkLayer() { return sink; }

    /** True when the sinks should move to a better layer and wait for its keyframe (request one). */
    public boolean sinkWantsKeyframe() { return sink != ranked[0]; }

    /**
     * A new publisher: the sinks start again at the next keyframe of the top layer. The ranking stays (a returning
     * publisher most likely sends the same layers) until its keyframes measure again.
     */
    public void reset() {
        sink = null;
        firstKeyframeNanos = Long.MIN_VALUE;
        demand.reset();
        pausing = false;
    }

    @Override
    public String toString() {
        return "LayerGroup" + Arrays.stream(ranked).map(l -> l.rid).toList() + "@" + rankedAtNanos;
    }
}
