package live.cascade.hls;

import live.cascade.hls.media.StreamFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The publisher's own AAC, for a broadcast that arrived over RTMP or SRT: the router carries the Opus the node
 * transcoded for WebRTC viewers, and the ingest hands the tap the AAC it came from as well, so HLS and the recording
 * take that as it is (no AAC → Opus → AAC round trip, no second generation of coding loss, no encoder's CPU).
 *
 * <p>Each AAC frame comes with its place on the Opus track's RTP clock (48 kHz; the ingest counts both in samples from
 * the same start), so the timeline the tap put the Opus on places the AAC too: a frame is released when the Opus
 * frame at or after it has its time, at that time plus their distance on the RTP clock. Whether a broadcast uses it is
 * decided once, when HLS and the recording set up (the first keyframe): with an AAC-LC config by then, yes; else the
 * Opus is transcoded as for any other publisher. Tap thread only.
 */
final class OriginalAudio {
    private static final Logger LOG = LoggerFactory.getLogger(TapPipeline.class);
    /** About 6 s of AAC at 44.1 kHz: more than the tap ever holds its Opus back. */
    private static final int MAX_PENDING = 256;
    private static final int RTP_CLOCK = 48_000;

    /** Receives each AAC frame on the timeline. */
    @FunctionalInterface
    interface Sink {
        void frame(byte[] data, long ptsMicros);
    }

    private record Frame(byte[] data, long rtpTimestamp) {}

    private final String slug;
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private StreamFormat format;
    private boolean decided;
    private boolean used;
    private long lastPts = Long.MIN_VALUE;
    private long dropped;

    OriginalAudio(String slug) {
        this.slug = slug;
    }

    /** The ingest's AudioSpecificConfig (at the start, and again when the encoder sends a new one). */
    void config(byte[] data, int len) {
        StreamFormat f = StreamFormat.aac(Arrays.copyOf(data, len));
        if (!decided) {
            format = f;
            return;
        }
        if (!used || format == null) return;
        if (f == null || f.sampleRate() != format.sampleRate() || f.channels() != format.channels()) {
            // HLS's initialization segments and the recording's header hold the first config; frames of another one
            // would not decode against them.
            format = null;
            LOG.warn("channel {}: the encoder changed its AAC settings mid-broadcast; HLS and the recording carry no audio until it ends", slug);
        }
    }

    /** One raw AAC frame at {@code rtpTimestamp} on the audio track's RTP clock. */
    void frame(byte[] data, int len, long rtpTimestamp) {
        if (decided && !used) return;
        if (pending.size() == MAX_PENDING) {
            pending.removeFirst();
            dropped++;
        }
        pending.addLast(new Frame(Arrays.copyOf(data, len), rtpTimestamp & 0xFFFF_FFFFL));
    }

    /**
     * Decides, once, whether HLS and the recording take the original AAC: returns its format if so, else null (they
     * transcode the Opus). Later calls return the same answer.
     */
    StreamFormat decide(boolean videoAllowsAac) {
        if (!decided) {
            decided = true;
            used = format != null && videoAllowsAac;
            if (used) LOG.info("channel {}: HLS and the recording take the publisher's AAC as sent ({} Hz, {} ch)", slug,
                    format.sampleRate(), format.channels());
            else pending.clear();
        }
        return used ? format : null;
    }

    boolean used() { return used; }

    /**
     * The Opus frame at {@code opusRtpTimestamp} (extended) was placed at {@code opusPts}: releases every AAC frame up
     * to it, placed by their distance on the RTP clock. Before the decision, and when the original is not used, the
     * frames up to it are let go.
     */
    void opusPlaced(long opusRtpTimestamp, long opusPts, Sink out) {
        long ref = opusRtpTimestamp & 0xFFFF_FFFFL;
        while (!pending.isEmpty()) {
            Frame f = pending.peekFirst();
            int distance = (int) (f.rtpTimestamp() - ref); // signed: the 32-bit clock wraps
            if (distance > 0) return;
            pending.removeFirst();
            if (!used || format == null) continue;
            long pts = opusPts + distance * 1_000_000L / RTP_CLOCK;
            if (pts <= lastPts) {
                dropped++;
                continue;
            }
            lastPts = pts;
            out.frame(f.data(), pts);
        }
    }

    /** A reconnect: the new publish's clock starts over; frames still held belong to the old one. */
    void restart() {
        pending.clear();
    }

    /** AAC frames let go because they could not be placed (the tap fell far behind, a clock that went back). */
    long dropped() { return dropped; }
}
