package live.cascade.sfu.routing;

import java.nio.charset.StandardCharsets;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.GopCache;
import live.cascade.sfu.rtp.HeaderExtensionMap;
import live.cascade.sfu.receive.NackGenerator;
import live.cascade.sfu.receive.PacketHistory;
import live.cascade.sfu.codec.PayloadFormat;
import live.cascade.sfu.receive.ReceiveStatistics;
import live.cascade.sfu.rtp.RtpExtension;
import live.cascade.sfu.rtp.SequenceUnwrapper;

/**
 * One track slot of a router (one per publisher m-section), and the state of whichever publisher currently feeds it.
 * The slot outlives publishers: a reconnecting publisher is bound to the same slot, so its consumers continue.
 * Its buffers (packet history) are allocated once, with the slot.
 */
final class PublisherTrack {
    private static final TrackConsumer[] NO_CONSUMERS = new TrackConsumer[0];
    /** Missing packets tracked at once for NACKs; a larger gap asks for a keyframe instead. */
    private static final int NACK_CAPACITY = 512;
    /** A gap must be this old before the first NACK: tolerates the reordering a WebRTC path usually shows. */
    private static final long NACK_REORDER_NANOS = 5_000_000L;

    final MediaKind kind;
    /** The format this slot carries for its whole life (a reconnect must match it). */
    final Codec format;
    final int clockRate;
    final PayloadFormat payloadFormat;
    final ReceiveStatistics receive;
    /** Extended sequence numbers of the bound stream: one unwrapping shared by history, NACKs and the GOP cache. */
    final SequenceUnwrapper sequence = new SequenceUnwrapper();
    final PacketHistory history;
    final NackGenerator nack;
    final GopCache gop = new GopCache();

    // Bound publisher's negotiation.
    String mid;
    byte[] midBytes;
    int payloadType;
    int rtxPayloadType;
    int midExtensionId;
    int transportCcExtensionId;
    int absSendTimeExtensionId;
    HeaderExtensionMap extensions;
    boolean useFir;
    boolean nackEnabled;
    boolean transportCcFeedback;
    boolean rembFeedback;
    long ssrc;
    boolean ssrcKnown;
    long rtxSsrc;
    boolean rtxSsrcKnown;

    TrackConsumer[] consumers = NO_CONSUMERS;

    // Counters over the router's life.
    long packets;
    long bytes;
    /** Every byte that arrived for this track: media, RTX and padding (the ingest bitrate). */
    long wireBytes;
    long lastSeenNanos = -1;
    long rtxPackets;
    long paddingPackets;
    long packetsRecovered;
    long duplicatePackets;
    long keyframeRequestsSent;
    long nackPacketsSent;
    long frames;

    // Current stream.
    /** Media packets received as originals (not repaired) since bind: with the expected count, the pre-repair loss. */
    long streamOriginals;
    long highestExt = Long.MIN_VALUE;
    long lastFrameTimestamp = -1;
    int width;
    int height;

    // Ingest window (advanced by the router's tick, never per packet).
    long windowStartNanos = -1;
    long windowWireBytes;
    long windowFrames;
    long windowExpected;
    long windowOriginals;
    long bitrate = -1;
    double frameRate = -1;
    double lossFraction;

    // Keyframe request throttle.
    boolean keyframeRequestPending;
    boolean haveRequested;
    long lastKeyframeRequestNanos;
    int firSequence;

    // Publisher SR: its clock and this stream's RTP timestamp at one instant (for A/V-consistent SRs to viewers).
    boolean syncValid;
    long syncPublisherEpochNanos;
    long syncRtpTimestamp;

    PublisherTrack(TrackParameters initial, RouterConfig config) {
        this.kind = initial.kind();
        this.format = initial.codec();
        this.clockRate = initial.codec().clockRate();
        this.payloadFormat = PayloadFormat.of(initial.codec().name(), kind == MediaKind.AUDIO);
        this.receive = new ReceiveStatistics(clockRate);
        this.history = new PacketHistory(kind == MediaKind.VIDEO ? config.historyPackets() : RouterConfig.AUDIO_HISTORY_PACKETS,
                config.maxPacketSize());
        this.nack = new NackGenerator(NACK_CAPACITY, config.nackMaxRetries(), config.nackMaxAge().toNanos(), NACK_REORDER_NANOS);
        bind(initial);
    }

    /** Binds a (new) publisher's negotiation of this slot and forgets the previous publisher's stream state. */
    void bind(TrackParameters p) {
        Codec c = p.codec();
        mid = p.mid();
        midBytes = mid.getBytes(StandardCharsets.UTF_8);
        payloadType = c.payloadType();
        rtxPayloadType = c.rtxPayloadType();
        extensions = HeaderExtensionMap.of(p.extensions());
        midExtensionId = extensions.idOf(RtpExtension.MID);
        transportCcExtensionId = extensions.idOf(RtpExtension.TRANSPORT_CC);
        absSendTimeExtensionId = extensions.idOf(RtpExtension.ABS_SEND_TIME);
        // PLI unless the publisher negotiated only FIR; with no feedback listed at all, PLI is the safer guess.
        useFir = c.hasFeedback("ccm fir") && !c.hasFeedback("nack pli");
        nackEnabled = c.hasFeedback("nack");
        transportCcFeedback = transportCcExtensionId != 0 && c.hasFeedback("transport-cc");
        rembFeedback = c.hasFeedback("goog-remb");
        ssrc = p.ssrc();
        ssrcKnown = p.ssrc() != 0;
        rtxSsrc = p.rtxSsrc();
        rtxSsrcKnown = p.rtxSsrc() != 0;
        receive.reset();
        sequence.reset();
        history.reset();
        nack.reset();
        gop.reset();
        streamOriginals = 0;
        highestExt = Long.MIN_VALUE;
        lastFrameTimestamp = -1;
        windowStartNanos = -1;
        bitrate = -1;
        frameRate = -1;
        lossFraction = 0;
        syncValid = false;
        haveRequested = false;
    }

    boolean hasWaitingConsumer() {
        TrackConsumer[] cs = consumers;
        for (TrackConsumer c : cs) if (c.waitingForKeyframe) return true;
        return false;
    }

    /** Closes the ingest window when it spans a second: bitrate, frame rate and pre-repair loss over it. */
    void advanceWindow(long now) {
        if (windowStartNanos < 0) {
            startWindow(now);
            return;
        }
        long span = now - windowStartNanos;
        if (span < 1_000_000_000L) return;
        bitrate = (wireBytes - windowWireBytes) * 8 * 1_000_000_000L / span;
        frameRate = kind == MediaKind.VIDEO ? (frames - windowFrames) * 1e9 / span : -1;
        long expected = receive.expected() - windowExpected;
        long lost = expected - (streamOriginals - windowOriginals);
        lossFraction = expected <= 0 || lost <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
        startWindow(now);
    }

    private void startWindow(long now) {
        windowStartNanos = now;
        windowWireBytes = wireBytes;
        windowFrames = frames;
        windowExpected = receive.expected();
        windowOriginals = streamOriginals;
    }

    TrackStats stats() {
        return new TrackStats(kind, mid, ssrcKnown ? ssrc : 0, packets, bytes, lastSeenNanos, gop.keyframes(),
                receive.cumulativeLost(), receive.jitter(), rtxPackets, keyframeRequestsSent, nack.requestedCount(),
                packetsRecovered, duplicatePackets);
    }

    IngestTrackStats ingestStats(long now) {
        long kfi = gop.keyframeIntervalNanos();
        return new IngestTrackStats(kind, mid, format.name(), clockRate, ssrcKnown ? ssrc : 0, bitrate, frameRate,
                kfi < 0 ? -1 : kfi / 1_000_000L, gop.keyframes(), lossFraction, receive.cumulativeLost(),
                packetsRecovered, nack.requestedCount(), receive.jitter() * 1000.0 / clockRate, width, height,
                lastSeenNanos < 0 ? -1 : (now - lastSeenNanos) / 1_000_000L, keyframeRequestsSent);
    }
}
