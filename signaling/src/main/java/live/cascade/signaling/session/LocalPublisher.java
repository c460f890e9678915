package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.transport.MediaReceiver;

/**
 * A publisher whose media the node makes itself (RTMP, SRT ingest): it feeds plain RTP and RTCP into the channel's
 * router on the channel's {@link #lane()}, and is a publisher like a WHIP one for everything else (live state, grace
 * period, stop, suspension, stream health, the HLS and recording tap).
 */
public final class LocalPublisher implements LocalPublishResult {
    private final LocalTransport transport;
    private final MediaLane lane;
    private final String sessionId;
    /** The broadcast this publish joined (lane-confined), or null. */
    private final Broadcast broadcast;

    LocalPublisher(LocalTransport transport, MediaLane lane, String sessionId, Broadcast broadcast) {
        this.transport = transport;
        this.lane = lane;
        this.sessionId = sessionId;
        this.broadcast = broadcast;
    }

    /** The thread every {@link #rtp} and {@link #rtcp} call must be made on: hop there with {@code lane().execute}. */
    public MediaLane lane() { return lane; }

    public String sessionId() { return sessionId; }

    /** Lane thread: one plain RTP packet into the router (the buffer is the caller's again when this returns). */
    public void rtp(byte[] buf, int off, int len) {
        MediaReceiver r = transport.receiver();
        if (r != null) r.onRtp(buf, off, len);
    }

    /** Lane thread: one plain RTCP packet (the ingest's sender reports, which viewers' lip sync relies on). */
    public void rtcp(byte[] buf, int off, int len) {
        MediaReceiver r = transport.receiver();
        if (r != null) r.onRtcp(buf, off, len);
    }

    /**
     * Lane thread: one frame of the audio as the encoder sent it (AAC), before the node transcoded it into the RTP it
     * feeds the router; for the broadcast's tap (HLS and the recording take it as it is). {@code rtpTimestamp} is
     * where the frame lies on the audio track's RTP clock. WebRTC viewers never see it.
     */
    public void originalAudio(byte[] config, byte[] frame, int off, int len, long rtpTimestamp) {
        Broadcast b = broadcast;
        if (b == null || b.ended || transport.closed()) return;
        BroadcastTap tap = b.tap;
        if (tap != null) tap.originalAudio(config, frame, off, len, rtpTimestamp);
    }

    /**
     * Lane thread: one video frame the router never carries (see {@link BroadcastService#publishLocal(ChannelRef,
     * java.util.List, java.util.List, Runnable)}), straight to the broadcast's tap: an Annex B access unit, and
     * {@code config} the stream's parameter sets in Annex B (for AV1: a temporal unit and its av1C record; see
     * {@link BroadcastTap#directVideo}) (the same array until they change; the tap puts HEVC's in
     * front of keyframes). {@code timestamp} is its decode time at 90 kHz on the clock of {@link #directVideoReport}, not wrapped;
     * {@code composition} its presentation offset in 90 kHz ticks (B-frames). The buffers are the caller's again on
     * return.
     */
    public void directVideo(byte[] config, byte[] frame, int off, int len, long timestamp, int composition, boolean keyframe) {
        BroadcastTap tap = liveTap();
        if (tap != null) tap.directVideo(config, frame, off, len, timestamp, composition, keyframe);
    }

    /** Lane thread: ties the direct video's clock to the wall clock (NTP), as a sender report does for RTP. */
    public void directVideoReport(long ntpTimestamp, long timestamp) {
        BroadcastTap tap = liveTap();
        if (tap != null) tap.directVideoReport(ntpTimestamp, timestamp);
    }

    private BroadcastTap liveTap() {
        Broadcast b = broadcast;
        return b == null || b.ended || transport.closed() ? null : b.tap;
    }

    /** True once the publish ended, by {@link #close} or by the node (stop, suspension, replaced, shutdown). */
    public boolean closed() { return transport.closed(); }

    /** Feedback the router addressed to this publisher and dropped (it cannot reach an RTMP or SRT encoder). */
    public long feedbackDropped() { return transport.feedbackDropped.sum(); }

    /** From any thread: the publisher leaves; the channel waits out its grace period. Idempotent. */
    public void close() { transport.close(); }
}
