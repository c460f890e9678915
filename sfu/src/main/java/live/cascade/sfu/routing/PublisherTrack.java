package live.cascade.sfu.routing;

import java.nio.charset.StandardCharsets;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.MediaKind;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.rtp.HeaderExtensionMap;
import live.cascade.sfu.rtp.PayloadFormat;
import live.cascade.sfu.rtp.ReceiveStatistics;
import live.cascade.sfu.rtp.RtpExtension;

/**
 * One track slot of a router (one per publisher m-section), and the state of whichever publisher currently feeds it.
 * The slot outlives publishers: a reconnecting publisher is bound to the same slot, so its consumers continue.
 */
final class PublisherTrack {
    private static final TrackConsumer[] NO_CONSUMERS = new TrackConsumer[0];

    final MediaKind kind;
    /** The format this slot carries for its whole life (a reconnect must match it). */
    final Codec format;
    final int clockRate;
    final PayloadFormat payloadFormat;
    final ReceiveStatistics receive;

    // Bound publisher's negotiation.
    String mid;
    byte[] midBytes;
    int payloadType;
    int rtxPayloadType;
    int midExtensionId;
    HeaderExtensionMap extensions;
    boolean useFir;
    long ssrc;
    boolean ssrcKnown;
    long rtxSsrc;
    boolean rtxSsrcKnown;

    TrackConsumer[] consumers = NO_CONSUMERS;

    // Counters over the router's life.
    long packets;
    long bytes;
    long lastSeenNanos = -1;
    long keyframes;
    long rtxPackets;
    long keyframeRequestsSent;

    // Keyframe request throttle.
    boolean keyframeRequestPending;
    boolean haveRequested;
    long lastKeyframeRequestNanos;
    int firSequence;

    // Publisher SR: its clock and this stream's RTP timestamp at one instant (for A/V-consistent SRs to viewers).
    boolean syncValid;
    long syncPublisherEpochNanos;
    long syncRtpTimestamp;

    PublisherTrack(TrackParameters initial) {
        this.kind = initial.kind();
        this.format = initial.codec();
        this.clockRate = initial.codec().clockRate();
        this.payloadFormat = PayloadFormat.of(initial.codec().name(), kind == MediaKind.AUDIO);
        this.receive = new ReceiveStatistics(clockRate);
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
        // PLI unless the publisher negotiated only FIR; with no feedback listed at all, PLI is the safer guess.
        useFir = c.hasFeedback("ccm fir") && !c.hasFeedback("nack pli");
        ssrc = p.ssrc();
        ssrcKnown = p.ssrc() != 0;
        rtxSsrc = p.rtxSsrc();
        rtxSsrcKnown = p.rtxSsrc() != 0;
        receive.reset();
        syncValid = false;
        haveRequested = false;
    }

    boolean hasWaitingConsumer() {
        TrackConsumer[] cs = consumers;
        for (TrackConsumer c : cs) if (c.waitingForKeyframe) return true;
        return false;
    }

    TrackStats stats() {
        return new TrackStats(kind, mid, ssrcKnown ? ssrc : 0, packets, bytes, lastSeenNanos, keyframes,
                receive.cumulativeLost(), receive.jitter(), rtxPackets, keyframeRequestsSent);
    }
}
