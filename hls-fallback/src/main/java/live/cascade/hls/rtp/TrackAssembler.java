package live.cascade.hls.rtp;

import live.cascade.sfu.rtp.RtpHeader;
import live.cascade.sfu.rtp.RtpStatus;
import live.cascade.sfu.rtp.TimestampUnwrapper;

import java.util.function.Consumer;

/**
 * One publisher track from RTP packets to coded frames: reorder by sequence number, unwrap the timestamp, depacketize.
 * A new SSRC (a reconnected publisher) restarts the stream.
 */
public final class TrackAssembler {
    private final RtpHeader header = new RtpHeader();
    private final RtpHeader ordered = new RtpHeader();
    private final TimestampUnwrapper timestamps = new TimestampUnwrapper();
    private final ReorderBuffer reorder;
    private final Depacketizer depacketizer;
    private final int payloadType;
    private long ssrc = -1;
    private long latestTimestamp = -1;
    private long malformed;
    private long lossEvents;
    private Runnable onLoss = () -> {};

    /**
     * @param payloadType    the media payload type; others (RTX, RED) are ignored
     * @param maxDelayNanos  how long a gap may hold packets back before it counts as lost
     */
    public TrackAssembler(Depacketizer depacketizer, int payloadType, long maxDelayNanos) {
        this.depacketizer = depacketizer;
        this.payloadType = payloadType;
        this.reorder = new ReorderBuffer(512, 1500, maxDelayNanos, new ReorderBuffer.Output() {
            @Override
            public void onPacket(byte[] buf, int off, int len, long arrivalNanos) { deliver(buf, off, len, arrivalNanos); }

            @Override
            public void onLoss(int count) {
                lossEvents++;
                depacketizer.onLoss();
                onLoss.run();
            }

            @Override
            public void onRestart() {
                depacketizer.flush();
                timestamps.reset();
            }
        });
    }

    public void setOutput(Consumer<EncodedFrame> output) { depacketizer.setOutput(output); }

    /** Called when packets were lost (e.g. to ask for a keyframe). */
    public void setLossListener(Runnable r) { this.onLoss = r; }

    public void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
        if (header.parse(buf, off, len) != RtpStatus.OK) {
            malformed++;
            return;
        }
        if (header.payloadType() != payloadType) return;
        if (ssrc != header.ssrc()) {
            if (ssrc != -1) restart();
            ssrc = header.ssrc();
        }
        reorder.add(header.sequenceNumber(), buf, off, len, arrivalNanos);
    }

    private void deliver(byte[] buf, int off, int len, long arrivalNanos) {
        if (ordered.parse(buf, off, len) != RtpStatus.OK) {
            malformed++;
            return;
        }
        long ts = timestamps.unwrap(ordered.timestamp());
        latestTimestamp = ts;
        depacketizer.onPayload(buf, ordered.payloadOffset(), ordered.payloadLength(), ts, ordered.marker(), arrivalNanos);
    }

    /** Gives up on gaps that have waited too long. */
    public void poll(long nowNanos) { reorder.poll(nowNanos); }

    /** A new publisher: drop the frame in progress and everything ordered so far. */
    public void restart() {
        depacketizer.flush();
        reorder.reset();
        timestamps.reset();
        latestTimestamp = -1;
        ssrc = -1;
    }

    /** Extends a 32-bit RTP timestamp of this stream (e.g. from a sender report) near the latest one seen. */
    public long extendTimestamp(long rtpTimestamp) {
        if (!timestamps.started()) return -1;
        long highest = timestamps.highest();
        return highest + live.cascade.sfu.rtp.Timestamps.diff(rtpTimestamp & 0xFFFF_FFFFL, highest & 0xFFFF_FFFFL);
    }

    public boolean hasTimestamps() { return timestamps.started(); }

    public long highestTimestamp() { return timestamps.highest(); }

    /**
     * The extended timestamp of the latest packet: after a clock that jumped back it is below {@link #highestTimestamp},
     * and it is what the stream's sender reports now describe.
     */
    public long latestTimestamp() { return latestTimestamp; }

    public long malformed() { return malformed; }

    public long lossEvents() { return lossEvents; }

    public long droppedFrames() { return depacketizer.droppedFrames(); }

    public Depacketizer depacketizer() { return depacketizer; }
}
