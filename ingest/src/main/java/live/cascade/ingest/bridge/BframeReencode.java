package live.cascade.ingest.bridge;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.video.VideoReencoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP/SRT publish's B-frame re-encode (under {@code --ingest-bframes reencode}, once B-frames were seen): the
 * {@link VideoReencoder} made from the stream's latest AVC sequence header, remade when a new header arrives, and
 * whether its output has replaced the source yet (from the first keyframe it was given). On the publish's connection
 * thread; the re-encoder's output reaches {@code sink} on its own thread.
 */
final class BframeReencode {
    private static final Logger LOG = LoggerFactory.getLogger(BframeReencode.class);

    private final String slug;
    private final VideoReencoder.Sink sink;
    private final LongAdder dropped;
    /** The latest AVC decoder configuration record, the re-encoder's decoder's extradata. */
    private byte[] avcRecord;
    private VideoReencoder reencoder;
    private boolean replacing;

    BframeReencode(String slug, VideoReencoder.Sink sink, LongAdder dropped) {
        this.slug = slug;
        this.sink = sink;
        this.dropped = dropped;
    }

    /** The stream's AVC sequence header; a running re-encoder is remade for it (a new size, say), from the next keyframe. */
    void sequenceHeader(byte[] tag, int off) {
        avcRecord = Arrays.copyOfRange(tag, off, tag.length);
        if (reencoder != null) {
            reencoder.close();
            reencoder = null;
            start();
        }
    }

    /** Starts re-encoding; false (the video then goes as sent) when there is no header yet or no encoder opens. */
    boolean start() {
        replacing = false;
        if (avcRecord == null) return false;
        try {
            reencoder = new VideoReencoder(slug, avcRecord, sink, dropped);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("channel {}: cannot re-encode its B-frames ({}); forwarding the video as sent", slug, e.getMessage());
            return false;
        }
    }

    boolean active() { return reencoder != null; }

    /** Whether the re-encoder's output has replaced the source: its output is sent only then. */
    boolean replacing() { return replacing; }

    /** Hands a frame to the re-encoder from its first keyframe on; false when the source frame goes out as it is. */
    boolean offer(byte[] tag, int off, long dts, long pts, boolean keyframe) {
        if (reencoder == null || !replacing && !keyframe) return false;
        replacing = true;
        reencoder.offer(tag, off, tag.length - off, dts, pts, keyframe);
        return true;
    }

    void close() {
        if (reencoder == null) return;
        reencoder.close();
        reencoder = null;
    }
}
