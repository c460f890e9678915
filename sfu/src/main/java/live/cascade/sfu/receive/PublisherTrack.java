package live.cascade.sfu.receive;

import java.nio.charset.StandardCharsets;
import live.cascade.sfu.codec.PayloadFormat;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.HeaderExtensionMap;
import live.cascade.sfu.rtp.RtpExtension;
import live.cascade.sfu.rtp.SequenceUnwrapper;

/**
 * One track slot of a router (one per publisher m-section), and the state of whichever publisher currently feeds it.
 * The slot outlives publishers: a reconnecting publisher is bound to the same slot, so its consumers continue.
 * Its buffers (packet history) are allocated once, with the slot.
 *
 * <p>A plain record of mutable state, written by the receive stages and read by the router's feedback and by viewer
 * consumers, all on the router's one worker thread: public fields, because accessors would add nothing but hops.
 */
public final class PublisherTrack {
    /** Missing packets tracked at once for NACKs; a larger gap asks for a keyframe instead. */
    private static final int NACK_CAPACITY = 512;
    /** A gap must be this old before the first NACK: tolerates the reordering a WebRTC path usually shows. */
    private static final long NACK_REORDER_NANOS = 5_000_000L;

    public final MediaKind kind;
    /** The format this slot carries for its whole life (a reconnect must match it). */
    public final Codec format;
    public final int clockRate;
    public final PayloadFormat payloadFormat;
    public final ReceiveStatistics receive;
    /** Extended sequence numbers of the bound stream: one unwrapping shared by history, NACKs and the GOP cache. */
    public final SequenceUnwrapper sequence = new SequenceUnwrapper();
    public final PacketHistory history;
    public final NackGenerator nack;
    public final GopCache gop = new GopCache();

    // Bound publisher's negotiation.
    public String mid;
    public byte[] midBytes;
    public int payloadType;
    public int rtxPayloadType;
    public int midExtensionId;
    public int transportCcExtensionId;
    public int absSendTimeExtensionId;
    /** The simulcast layer's rid ({@code ""} when this slot is not a layer) and its bytes (null then). */
    public String rid = "";
    public byte[] ridBytes;
    public int ridExtensionId;
    public int repairedRidExtensionId;
    public HeaderExtensionMap extensions;
    public boolean useFir;
    public boolean nackEnabled;
    public boolean transportCcFeedback;
    public boolean rembFeedback;
    public long ssrc;
    public boolean ssrcKnown;
    public long rtxSsrc;
    public boolean rtxSsrcKnown;

    // Counters over the router's life.
    public long packets;
    public long bytes;
    /** Every byte that arrived for this track: media, RTX and padding (the ingest bitrate). */
    public long wireBytes;
    public long lastSeenNanos = -1;
    public long rtxPackets;
    public long paddingPackets;
    public long packetsRecovered;
    public long duplicatePackets;
    public long keyframeRequestsSent;
    public long nackPacketsSent;
    public long frames;

    // Current stream.
    /** Media packets received as originals (not repaired) since bind: with the expected count, the pre-repair loss. */
    public long streamOriginals;
    public long highestExt = Long.MIN_VALUE;
    public long lastFrameTimestamp = -1;
    public int width;
    public int height;

    // Ingest window (advanced by the router's tick, never per packet).
    public long windowStartNanos = -1;
    public long windowWireBytes;
    public long windowFrames;
    public long windowExpected;
    public long windowOriginals;
    public long bitrate = -1;
    /**
     * Media bits per second (originals and repairs, once each), without RTX overhead and padding: what a viewer of this
     * stream would be sent, and what simulcast layer choice compares (browsers send probing padding on a low layer).
     */
    public long mediaBitrate = -1;
    /**
     * The highest {@link #mediaBitrate} of the last {@link #PEAK_WINDOWS} windows: what a viewer must carry to take
     * this stream. A stream that drops frames (a publisher short of CPU, noisy content at a low frame rate) reads near
     * nothing over a second without a frame and double over one with two; the layer choice moves up on this one.
     */
    public long mediaBitratePeak = -1;
    public static final int PEAK_WINDOWS = 5;
    private final long[] recentMediaBitrates = new long[PEAK_WINDOWS];
    private int recentIndex;
    public long windowBytes;
    public double frameRate = -1;
    public double lossFraction;

    // Keyframe request throttle.
    public boolean keyframeRequestPending;
    public boolean haveRequested;
    public long lastKeyframeRequestNanos;
    public int firSequence;
    /** The last request went unanswered long enough that a join served the cache instead (see JoinStart). */
    public boolean ignoresKeyframeRequests;

    // Publisher SR: its clock and this stream's RTP timestamp at one instant (for A/V-consistent SRs to viewers).
    public boolean syncValid;
    public long syncPublisherEpochNanos;
    public long syncRtpTimestamp;

    /** This slot's position in the router's track array (the fan-out's index). */
    public final int index;

    /**
     * @param historyPackets packets this slot's history keeps (a power of two)
     * @param nackMaxAgeNanos a packet missing for longer than this is no longer asked for
     */
    public PublisherTrack(TrackParameters initial, int index, int historyPackets, int maxPacketSize, int nackMaxRetries,
                          long nackMaxAgeNanos) {
        this.index = index;
        this.kind = initial.kind();
        this.format = initial.codec();
        this.clockRate = initial.codec().clockRate();
        this.payloadFormat = PayloadFormat.of(initial.codec().name(), kind == MediaKind.AUDIO);
        this.receive = new ReceiveStatistics(clockRate);
        this.history = new PacketHistory(historyPackets, maxPacketSize);
        this.nack = new NackGenerator(NACK_CAPACITY, nackMaxRetries, nackMaxAgeNanos, NACK_REORDER_NANOS);
        bind(initial);
    }

    /** Binds a (new) publisher's negotiation of this slot and forgets the previous publisher's stream state. */
    public void bind(TrackParameters p) {
        Codec c = p.codec();
        mid = p.mid();
        midBytes = mid.getBytes(StandardCharsets.UTF_8);
        payloadType = c.payloadType();
        rtxPayloadType = c.rtxPayloadType();
        extensions = HeaderExtensionMap.of(p.extensions());
        midExtensionId = extensions.idOf(RtpExtension.MID);
        transportCcExtensionId = extensions.idOf(RtpExtension.TRANSPORT_CC);
        absSendTimeExtensionId = extensions.idOf(RtpExtension.ABS_SEND_TIME);
        rid = p.rid();
        ridBytes = p.isLayer() ? rid.getBytes(StandardCharsets.UTF_8) : null;
        ridExtensionId = extensions.idOf(RtpExtension.RID);
        repairedRidExtensionId = extensions.idOf(RtpExtension.REPAIRED_RID);
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
        mediaBitrate = -1;
        mediaBitratePeak = -1;
        java.util.Arrays.fill(recentMediaBitrates, -1);
        frameRate = -1;
        lossFraction = 0;
        syncValid = false;
        haveRequested = false;
        ignoresKeyframeRequests = false;
    }

    /** Closes the ingest window when it spans a second: bitrate, frame rate and pre-repair loss over it. */
    public void advanceWindow(long now) {
        if (windowStartNanos < 0) {
            startWindow(now);
            return;
        }
        long span = now - windowStartNanos;
        if (span < 1_000_000_000L) return;
        bitrate = (wireBytes - windowWireBytes) * 8 * 1_000_000_000L / span;
        mediaBitrate = (bytes - windowBytes) * 8 * 1_000_000_000L / span;
        recentMediaBitrates[recentIndex] = mediaBitrate;
        recentIndex = (recentIndex + 1) % PEAK_WINDOWS;
        long peak = -1;
        for (long b : recentMediaBitrates) peak = Math.max(peak, b);
        mediaBitratePeak = peak;
        frameRate = kind == MediaKind.VIDEO ? (frames - windowFrames) * 1e9 / span : -1;
        long expected = receive.expected() - windowExpected;
        long lost = expected - (streamOriginals - windowOriginals);
        lossFraction = expected <= 0 || lost <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
        startWindow(now);
    }

    private void startWindow(long now) {
        windowStartNanos = now;
        windowWireBytes = wireBytes;
        windowBytes = bytes;
        windowFrames = frames;
        windowExpected = receive.expected();
        windowOriginals = streamOriginals;
    }
}
