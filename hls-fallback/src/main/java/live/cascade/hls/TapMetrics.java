package live.cascade.hls;

import live.cascade.hls.sync.TimestampCorrections;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters over all taps of the node, for {@code /metrics}. */
public final class TapMetrics {
    final LongAdder packets = new LongAdder();
    final LongAdder queueDrops = new LongAdder();
    final LongAdder incompleteFrames = new LongAdder();
    final LongAdder segments = new LongAdder();
    final LongAdder ffmpegErrors = new LongAdder();
    final LongAdder recordingFailures = new LongAdder();
    final LongAdder keyframeRequests = new LongAdder();
    final LongAdder recordingDroppedPackets = new LongAdder();
    final LongAdder recordingRecoveries = new LongAdder();
    private final TimestampCorrections timestampCorrections = new TimestampCorrections();

    /** Media timestamps corrected before the muxers, per track and reason ({@code cascade_media_timestamp_corrections_total}). */
    public TimestampCorrections timestampCorrections() { return timestampCorrections; }

    /** Name → value, e.g. {@code queue_dropped_packets}; stable names for the metric labels. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", packets.sum());
        m.put("queue_dropped_packets", queueDrops.sum());
        m.put("incomplete_frames", incompleteFrames.sum());
        m.put("segments", segments.sum());
        m.put("ffmpeg_errors", ffmpegErrors.sum());
        m.put("recording_failures", recordingFailures.sum());
        m.put("keyframe_requests", keyframeRequests.sum());
        m.put("recording_dropped_packets", recordingDroppedPackets.sum());
        m.put("recording_recoveries", recordingRecoveries.sum());
        return m;
    }
}
