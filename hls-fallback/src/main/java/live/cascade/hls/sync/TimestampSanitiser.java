package live.cascade.hls.sync;

import live.cascade.sfu.params.MediaKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place a broadcast's frames pass between the timeline ({@link AvSync}) and every muxer (recording, HLS
 * renditions and their low-latency parts, and through the recording, clips): per track, timestamps strictly
 * increasing ({@link MonotonicTimestamps}); the re-anchorings {@link AvSync} made after jumps, drift and reconnects
 * counted with them. Each kind of correction is counted per track (node-wide and for this broadcast) and logged once
 * per broadcast with its first example.
 */
public final class TimestampSanitiser implements Consumer<TimedFrame>, AvSync.RebaseListener {
    private static final Logger LOG = LoggerFactory.getLogger(TimestampSanitiser.class);

    private final String channel;
    private final TimestampCorrections node;
    private final TimestampCorrections broadcast = new TimestampCorrections();
    private final Consumer<TimedFrame> output;
    private final Map<MediaKind, MonotonicTimestamps> tracks = new EnumMap<>(MediaKind.class);

    /**
     * @param node    the node-wide counters ({@code /metrics})
     * @param output  where sanitised frames go
     */
    public TimestampSanitiser(String channel, TimestampCorrections node, Consumer<TimedFrame> output) {
        this.channel = channel;
        this.node = node;
        this.output = output;
        tracks.put(MediaKind.AUDIO, new MonotonicTimestamps(true));
        tracks.put(MediaKind.VIDEO, new MonotonicTimestamps(false));
    }

    @Override
    public void accept(TimedFrame t) {
        MediaKind kind = t.frame().kind();
        MonotonicTimestamps m = tracks.get(kind);
        m.place(t.ptsMicros());
        switch (m.outcome()) {
            case KEPT -> output.accept(t);
            case DROPPED -> corrected(kind, reason(m), t.ptsMicros(), -1);
            case NUDGED -> {
                corrected(kind, reason(m), t.ptsMicros(), m.micros());
                output.accept(new TimedFrame(t.frame(), m.micros()));
            }
        }
    }

    private static TimestampCorrection reason(MonotonicTimestamps m) {
        return m.repeated() ? TimestampCorrection.DUPLICATE : TimestampCorrection.BACKWARD_STEP;
    }

    @Override
    public void onRebase(MediaKind kind, TimestampCorrection reason, long fromMicros, long toMicros) {
        corrected(kind, reason, fromMicros, toMicros);
    }

    private void corrected(MediaKind kind, TimestampCorrection reason, long fromMicros, long toMicros) {
        node.add(kind, reason);
        broadcast.add(kind, reason);
        if (broadcast.count(kind, reason) > 1) return;
        String track = TimestampCorrections.label(kind);
        String what = toMicros < 0 ? "dropped" : "placed at " + seconds(toMicros);
        LOG.warn("channel {}: {} timestamps {} (first: the frame at {} {}); further ones are counted in "
                        + "cascade_media_timestamp_corrections_total{track=\"{}\",reason=\"{}\"}",
                channel, track, reason.description(), seconds(fromMicros), what, track, reason.label());
    }

    private static String seconds(long micros) { return String.format(Locale.ROOT, "%.3f s", micros / 1e6); }

    /** This broadcast's corrections. */
    public TimestampCorrections corrections() { return broadcast; }

    /** Logs how many corrections of each kind the broadcast needed (end of the broadcast). */
    public void summary() {
        Map<String, Long> n = broadcast.nonZero();
        if (!n.isEmpty()) LOG.info("channel {}: timestamp corrections during the broadcast: {}", channel, n);
    }
}
