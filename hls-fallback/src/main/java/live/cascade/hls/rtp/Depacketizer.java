package live.cascade.hls.rtp;

import java.util.function.Consumer;

/**
 * Turns one stream's in-order RTP payloads back into coded frames. Incomplete frames (a lost packet) are dropped and
 * counted, never passed on: a decoder would only stumble on them, and the next keyframe repairs the picture.
 */
public interface Depacketizer {
    /**
     * @param timestamp   the packet's extended RTP timestamp
     * @param marker      the RTP marker bit (last packet of a video frame)
     */
    void onPayload(byte[] buf, int off, int len, long timestamp, boolean marker, long arrivalNanos);

    /** Packets were lost before the next one: the frame in progress (and one starting mid-way) is damaged. */
    void onLoss();

    /** Emits a frame still in progress if it is complete enough (end of stream), then forgets all state. */
    void flush();

    /** Frames dropped because packets were missing or malformed. */
    long droppedFrames();

    /** Where finished frames go. */
    void setOutput(Consumer<EncodedFrame> output);
}
