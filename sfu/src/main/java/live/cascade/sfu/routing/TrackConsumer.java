package live.cascade.sfu.routing;

import live.cascade.sfu.forward.RtpRewriter;
import live.cascade.sfu.forward.Vp8PictureRewriter;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.DropCounters;
import live.cascade.sfu.receive.PacketHistory;
import live.cascade.sfu.receive.PublisherTrack;
import live.cascade.sfu.receive.RouterDrop;
import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.RtxPacketizer;
import live.cascade.sfu.rtp.SequenceNumbers;
import live.cascade.sfu.rtp.Timestamps;
import live.cascade.sfu.simulcast.LayerGroup;
import live.cascade.sfu.simulcast.LayerSelector;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One viewer's copy of one publisher track: its own buffer (with SRTP tail room and room for the RTX header), rewriter
 * and counters.
 *
 * <p>A video consumer starts in one of two ways. When the source's GOP cache holds a whole group of pictures, it
 * <em>catches up</em>: the cached packets, from the keyframe on, are sent paced at the configured speed (and a byte
 * rate cap), live packets meanwhile only land in the history, and once the consumer has sent everything the history
 * holds it continues live, with sequence numbers that run on without a gap. Otherwise it waits for the next keyframe.
 * Audio starts at the live edge.
 *
 * <p>A consumer of a simulcast m-section sees the packets of every layer of its {@link LayerGroup} and sends those of
 * one, its {@link #source}. Its {@link LayerSelector} (on the tick) names a {@link #target}; a keyframe is requested
 * on that layer and the consumer moves to it at that keyframe, never earlier and never by replaying the cache, so the
 * viewer goes on from where it is. The rewriter (sequence numbers, timestamps) and, for VP8, the picture-id rewriter
 * continue across the move as across a publisher reconnect: the player sees one stream.
 */
final class TrackConsumer {
    /** Catch-up byte budget: this many bytes at once, then this rate (a cached keyframe is a burst). */
    static final int CATCH_UP_BURST_BYTES = 64 * 1024;
    static final long CATCH_UP_BITRATE = 16_000_000L;
    /** Retransmissions of one packet to one viewer at most once per this, or per its RTT when known. */
    private static final long MIN_RETRANSMIT_INTERVAL_NANOS = 10_000_000L;
    private static final int RESENT_SLOTS = 128;

    final ViewerConsumer viewer;
    /** The layer (or the only track) being sent. */
    PublisherTrack source;
    /** The simulcast layers this consumer chooses among, null for a track that is not simulcast. */
    final LayerGroup group;
    final LayerSelector selector;
    /** The layer to move to at its next keyframe, null when none is pending. */
    PublisherTrack target;
    long layerSwitches;
    private final Vp8PictureRewriter vp8;
    final TrackParameters params;
    final RtpRewriter rewriter;
    final byte[] buffer;
    private final long rtxSsrc;
    private final int rtxPayloadType;
    private int rtxSequence;
    /** Recently retransmitted output sequence numbers and when, indexed by the number's low bits. */
    private final int[] resentSequence = new int[RESENT_SLOTS];
    private final long[] resentAt = new long[RESENT_SLOTS];

    /** The RTP timestamp of the newest keyframe started, so the pacer can tell its packets (drop them last). */
    private boolean haveKeyframeTimestamp;
    private long keyframeTimestamp;

    boolean waitingForKeyframe;
    /** When a join's wait for an asked-for keyframe ends and the cache is served instead; 0: no such wait. */
    long keyframeWaitEndsNanos;
    boolean catchingUp;
    private int catchUpSpeed;
    private long catchUpNextExt;
    private long catchUpKeyTimestamp;
    private long catchUpStartNanos;
    private long catchUpBytes;

    long packetsSent;
    long bytesSent;
    /** Payload octets, as the SR octet count wants (RFC 3550 §6.4.1). */
    long payloadOctetsSent;
    long packetsRetransmitted;
    long rtxPacketsSent;

    // From the viewer's receiver reports and feedback.
    int fractionLost;
    long cumulativeLost;
    long jitter;
    long roundTripNanos = -1;
    long plisReceived;
    long firsReceived;
    long nackedPackets;

    TrackConsumer(ViewerConsumer viewer, PublisherTrack source, LayerGroup group, TrackParameters params,
                  RtpRewriter rewriter, int maxPacketSize, int rtxSequenceStart) {
        this.viewer = viewer;
        this.source = source;
        this.group = group;
        this.selector = group == null ? null : new LayerSelector();
        this.vp8 = source.format.name().equalsIgnoreCase("VP8") ? new Vp8PictureRewriter() : null;
        this.params = params;
        this.rewriter = rewriter;
        this.buffer = new byte[maxPacketSize + RtxPacketizer.OSN_LENGTH + MediaTransport.SRTP_TAIL_ROOM];
        this.rewriter.setInputExtensions(source.extensions);
        this.waitingForKeyframe = source.kind == MediaKind.VIDEO;
        boolean rtx = params.rtxSsrc() != 0 && params.codec().rtxPayloadType() >= 0;
        this.rtxSsrc = rtx ? params.rtxSsrc() : 0;
        this.rtxPayloadType = rtx ? params.codec().rtxPayloadType() : -1;
        this.rtxSequence = rtxSequenceStart & SequenceNumbers.MASK;
        java.util.Arrays.fill(resentSequence, -1);
    }

    /**
     * The hot path: called once per publisher packet of {@code t}, the source or (simulcast) another layer of its
     * group ({@code ext} is its extended sequence number; the packet is already in that track's history).
     */
    void forward(PublisherTrack t, RtpHeader packet, long ext, boolean keyframeStart, long nowNanos, DropCounters drops) {
        if (t != source) {
            if (t != target || !keyframeStart || catchingUp) return; // another layer: not ours, not a drop
            switchTo(t);
        }
        if (keyframeStart) {
            haveKeyframeTimestamp = true;
            keyframeTimestamp = packet.timestamp();
        }
        if (catchingUp) {
            // Packets at or after the cursor are in the history and go out in order; one before it is a repair the
            // catch-up had to skip, and goes now.
            if (ext < catchUpNextExt) send(packet, nowNanos, drops);
            pumpCatchUp(nowNanos, drops);
            return;
        }
        if (waitingForKeyframe) {
            if (!keyframeStart) {
                drops.add(RouterDrop.NOT_A_KEYFRAME);
                return;
            }
            waitingForKeyframe = false;
        }
        send(packet, nowNanos, drops);
    }

    private void send(RtpHeader packet, long nowNanos, DropCounters drops) {
        // A catch-up frame is stamped with the time it leaves (RtpRewriter), and the viewer's pacer may hold it a while.
        long stampNanos = catchingUp && viewer.pacing != null ? nowNanos + viewer.pacing.queueDelayNanos() : nowNanos;
        if (!rewriter.rewrite(packet, buffer, 0, stampNanos)) {
            drops.add(RouterDrop.STALE_SEQUENCE);
            return;
        }
        int len = rewriter.outLength();
        // After the rewriter: its header may have grown by the transport-cc element it inserted.
        if (vp8 != null) vp8.rewrite(buffer, rewriter.outHeaderLength(), packet.payloadLength());
        packetsSent++;
        bytesSent += len;
        payloadOctetsSent += packet.payloadLength();
        viewer.sendRtp(buffer, len, isKeyframePacket(packet), source.kind == MediaKind.AUDIO, nowNanos);
    }

    /** Starts this (video) consumer at the cached keyframe {@code startExt}; the caller pumps it right after. */
    void startCatchUp(long startExt, long keyTimestamp, int speed, long nowNanos) {
        waitingForKeyframe = false;
        catchingUp = true;
        catchUpSpeed = speed;
        catchUpNextExt = startExt;
        catchUpKeyTimestamp = keyTimestamp;
        catchUpStartNanos = nowNanos;
        catchUpBytes = 0;
        haveKeyframeTimestamp = true;
        keyframeTimestamp = keyTimestamp;
        rewriter.beginCatchUp();
    }

    /**
     * Sends the cached packets that are due: a packet's media time since the keyframe must be within
     * {@code speed ×} the time since the catch-up began, and the bytes within the burst plus the rate cap. Ends the
     * catch-up once the cursor has passed the newest stored packet.
     */
    void pumpCatchUp(long nowNanos, DropCounters drops) {
        if (!catchingUp) return;
        PacketHistory h = source.history;
        RtpHeader stored = viewer.host.historyHeader;
        long elapsed = Math.max(0, nowNanos - catchUpStartNanos);
        long mediaAllowed = Timestamps.fromNanos(elapsed, source.clockRate) * catchUpSpeed;
        long bytesAllowed = CATCH_UP_BURST_BYTES + elapsed / 1000 * (CATCH_UP_BITRATE / 8) / 1_000_000L;
        while (!h.isEmpty() && catchUpNextExt <= h.highest()) {
            if (h.isBeforeWindow(catchUpNextExt)) {
                // The group outgrew the history under us: this viewer cannot continue from the cache.
                drops.add(RouterDrop.CATCH_UP_OVERRUN);
                catchingUp = false;
                // Continue the output from the last packet sent, as after a publisher reconnect: no hole to NACK.
                rewriter.rebase();
                waitingForKeyframe = true;
                viewer.host.requestKeyframe(source, nowNanos);
                return;
            }
            int slot = h.slotOf(catchUpNextExt);
            if (slot < 0) { // lost and not (yet) repaired: its repair will go out live
                catchUpNextExt++;
                continue;
            }
            int len = h.lengthOf(slot);
            if (stored.parse(h.data(), h.offsetOf(slot), len) != RtpStatus.OK) {
                catchUpNextExt++;
                continue;
            }
            if (Timestamps.diff(stored.timestamp(), catchUpKeyTimestamp) > mediaAllowed) return;
            // The pacer is the slower gate once the viewer's estimate is known: wait for it rather than overflow it.
            if (viewer.pacing != null && viewer.pacing.pacer.queuedPackets() * 2 >= viewer.pacing.pacer.capacity()) return;
            if (catchUpBytes > 0 && catchUpBytes + len > bytesAllowed) return;
            catchUpBytes += len;
            catchUpNextExt++;
            send(stored, nowNanos, drops);
        }
        catchingUp = false;
        rewriter.endCatchUp();
    }

    /**
     * Answers the viewer's NACK for its sequence number {@code outSequence}: the packet is looked up in the
     * source's history through this viewer's rewrite, rewritten again (same sequence number and timestamp, a new
     * transport-wide number) and sent as RTX when the viewer negotiated it, else as a plain retransmission.
     */
    void retransmit(int outSequence, long nowNanos, DropCounters drops) {
        int inSequence = rewriter.inputSequenceFor(outSequence);
        if (inSequence < 0 || !source.ssrcKnown || rewriter.inputSsrc() != source.ssrc) {
            drops.add(RouterDrop.NACK_UNKNOWN_SEQUENCE);
            return;
        }
        PacketHistory h = source.history;
        int slot = h.isEmpty() ? -1 : h.slotOf(h.extend(inSequence));
        if (slot < 0) {
            drops.add(RouterDrop.NACK_NOT_IN_HISTORY);
            return;
        }
        int r = outSequence & (RESENT_SLOTS - 1);
        long interval = Math.max(MIN_RETRANSMIT_INTERVAL_NANOS, roundTripNanos);
        if (resentSequence[r] == outSequence && nowNanos - resentAt[r] < interval) {
            drops.add(RouterDrop.RETRANSMISSION_THROTTLED);
            return;
        }
        RtpHeader stored = viewer.host.historyHeader;
        if (stored.parse(h.data(), h.offsetOf(slot), h.lengthOf(slot)) != RtpStatus.OK
                || !rewriter.rewrite(stored, buffer, 0, nowNanos)) {
            drops.add(RouterDrop.STALE_SEQUENCE);
            return;
        }
        resentSequence[r] = outSequence;
        resentAt[r] = nowNanos;
        int len = rewriter.outLength();
        if (vp8 != null) vp8.rewrite(buffer, rewriter.outHeaderLength(), stored.payloadLength());
        if (rtxSsrc != 0) {
            len = RtxPacketizer.wrap(buffer, 0, len, rewriter.outHeaderLength(), rtxPayloadType, rtxSequence, rtxSsrc);
            rtxSequence = (rtxSequence + 1) & SequenceNumbers.MASK;
            rtxPacketsSent++;
        }
        packetsRetransmitted++;
        viewer.sendRtp(buffer, len, isKeyframePacket(stored), source.kind == MediaKind.AUDIO, nowNanos);
    }

    private boolean isKeyframePacket(RtpHeader packet) {
        return haveKeyframeTimestamp && packet.timestamp() == keyframeTimestamp;
    }

    /** Whether {@link #writePadding} can make probe packets: RTX negotiated, transport-cc in the one-byte form. */
    boolean canPad() {
        int id = params.extensions().transportCc();
        return rtxSsrc != 0 && id > 0 && id < 15 && rewriter.hasSent();
    }

    /**
     * Writes a padding-only RTX packet (RFC 3550 padding, RFC 4588 RTX SSRC and sequence) carrying transport-wide
     * number {@code transportSeq} into {@code dst}: what a probe cluster is made of. Receivers count it for their
     * congestion feedback and discard it. Returns its length, 0 when {@link #canPad()} is false.
     */
    int writePadding(byte[] dst, int paddingBytes, int transportSeq) {
        if (!canPad() || paddingBytes < 1 || paddingBytes > 255) return 0;
        dst[0] = (byte) 0xB0; // V=2, padding, extension
        dst[1] = (byte) rtxPayloadType;
        live.cascade.sfu.rtp.BigEndian.put16(dst, 2, rtxSequence);
        rtxSequence = (rtxSequence + 1) & SequenceNumbers.MASK;
        live.cascade.sfu.rtp.BigEndian.put32(dst, 4, rewriter.highestOutTimestamp());
        live.cascade.sfu.rtp.BigEndian.put32(dst, 8, rtxSsrc);
        dst[12] = (byte) 0xBE;
        dst[13] = (byte) 0xDE;
        dst[14] = 0;
        dst[15] = 1; // one 32-bit word of elements
        dst[16] = (byte) (params.extensions().transportCc() << 4 | 1);
        live.cascade.sfu.rtp.BigEndian.put16(dst, 17, transportSeq);
        dst[19] = 0;
        int len = 20 + paddingBytes;
        java.util.Arrays.fill(dst, 20, len - 1, (byte) 0);
        dst[len - 1] = (byte) paddingBytes;
        return len;
    }

    /** A new publisher stream feeds the source: continue the output from where it stopped. */
    void onNewSource() {
        rewriter.setInputExtensions(source.extensions);
        rewriter.rebase();
        if (vp8 != null) vp8.rebase();
        catchingUp = false;
        keyframeWaitEndsNanos = 0;
        target = null;
        if (source.kind == MediaKind.VIDEO) waitingForKeyframe = true;
    }

    /** Moves to layer {@code t} at its keyframe: the output continues from the last packet sent. */
    private void switchTo(PublisherTrack t) {
        source = t;
        target = null;
        waitingForKeyframe = false;
        rewriter.setInputExtensions(t.extensions);
        rewriter.rebase();
        if (vp8 != null) vp8.rebase();
        layerSwitches++;
    }

    /** What the estimator should probe toward for this track to move up a layer, -1 when there is none. */
    long probeTarget(long nowNanos) {
        if (group == null) return -1;
        // A pending move up already fitted; probe for the layer above the one being moved to.
        return selector.probeTarget(group, target != null && group.rankOf(target) < group.rankOf(source) ? target : source, nowNanos);
    }

    /** The rate a move up this track's selector holds (or has granted) needs, -1 when none is under way. */
    long upHoldRate(long nowNanos) {
        return group == null ? -1 : selector.upHoldRate(group, source, nowNanos);
    }

    /**
     * The tick's layer choice for a simulcast consumer: the selector's wish becomes the target (its keyframe is
     * requested, throttled per layer), or clears it when the wish is the layer being sent.
     */
    void selectLayer(long bitsPerSecond, long nowNanos) {
        if (group == null) return;
        PublisherTrack wanted = selector.choose(group, source, bitsPerSecond, nowNanos);
        if (catchingUp) {
            // Only down ends a catch-up: the cached burst of a layer the path cannot carry would queue in front of
            // the lower layer's keyframe. Nothing of the old layer is left to continue from, so wait on the new one.
            if (wanted != source && group.rankOf(wanted) > group.rankOf(source)) {
                catchingUp = false;
                rewriter.rebase();
                if (vp8 != null) vp8.rebase();
                waitingForKeyframe = true;
                source = wanted;
                target = null;
                rewriter.setInputExtensions(wanted.extensions);
                viewer.host.requestKeyframe(wanted, nowNanos);
            }
            return;
        }
        if (wanted == source) {
            target = null;
        } else if (waitingForKeyframe) { // nothing to continue from the old layer: wait on the new one instead
            source = wanted;
            target = null;
            rewriter.setInputExtensions(wanted.extensions);
            viewer.host.requestKeyframe(wanted, nowNanos);
        } else if (wanted != target) {
            target = wanted;
            viewer.host.requestKeyframe(wanted, nowNanos);
        }
    }

    /** The layer this consumer is being sent or is waiting for: what a keyframe request should go to. */
    boolean waitsOn(PublisherTrack t) { return t == target || waitingForKeyframe && t == source; }

    ViewerTrackStats stats() {
        return new ViewerTrackStats(params.kind(), params.mid(), params.ssrc(), packetsSent, bytesSent,
                waitingForKeyframe, catchingUp, fractionLost, cumulativeLost, jitter, roundTripNanos, plisReceived,
                firsReceived, nackedPackets, packetsRetransmitted, rtxPacketsSent, source.rid,
                target == null ? "" : target.rid, selector != null && selector.pinned() != null, layerSwitches);
    }
}
