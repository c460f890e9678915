package live.cascade.hls.restream;

import java.util.ArrayList;
import java.util.List;
import live.cascade.hls.media.StreamFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tap's restream stage: at the broadcast's first keyframe it reads the channel's destinations and starts a
 * {@link Restreamer} for each; then hands each frame to all of them (never blocking); at the end closes them.
 */
public final class RestreamStage {
    private static final Logger LOG = LoggerFactory.getLogger(RestreamStage.class);
    private final long channelId;
    private final String slug;
    private final RestreamTargets targets;
    private final RestreamCounters counters;
    private final List<Restreamer> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile List<RestreamStatus> lastStatus = List.of();
    /** The channel's destinations once read (tap thread), or null before. */
    private List<RestreamDestination> destinations;

    public RestreamStage(long channelId, String slug, RestreamTargets targets, RestreamCounters counters) {
        this.channelId = channelId;
        this.slug = slug;
        this.targets = targets;
        this.counters = counters;
    }

    /**
     * Reads the channel's destinations, once per broadcast (tap thread; may block briefly on the database). A tap that
     * exists only for restreaming asks before it starts any work, and stops at once when there is nowhere to send to.
     *
     * @return true when the channel restreams somewhere
     */
    public boolean load() {
        if (destinations == null) {
            try {
                destinations = List.copyOf(targets.forChannel(channelId));
            } catch (RuntimeException e) {
                LOG.warn("channel {}: its restream destinations could not be read; no restreaming this broadcast: {}", slug, e.toString());
                destinations = List.of();
            }
        }
        return !destinations.isEmpty();
    }

    /**
     * At the first keyframe: {@code video} is the source video (H.264 with SPS/PPS as extradata, HEVC with its parameter
     * sets, AV1 with its av1C record); {@code flv} whether FLV carries it (H.264, and HEVC and AV1 as enhanced RTMP; not
     * VP8).
     */
    public void open(StreamFormat video, boolean flv, int audioChannels) {
        open(video, flv, audioChannels, null);
    }

    /**
     * As {@link #open(StreamFormat, boolean, int)}; {@code originalAudio} is the publisher's AAC (RTMP/SRT) when the
     * tap has it as sent ({@link #originalAudio} then carries it, and the Opus is not transcoded), else null.
     */
    public void open(StreamFormat video, boolean flv, int audioChannels, StreamFormat originalAudio) {
        if (!running.isEmpty()) return;
        if (!load()) return;
        List<RestreamDestination> list = destinations;
        if (!flv) {
            String codec = StreamFormat.videoCodecName(video.codecId());
            LOG.info("channel {}: restreaming sends H.264, HEVC or AV1 (FLV carries no {}); {} destination(s) skipped", slug, codec, list.size());
            lastStatus = list.stream().map(d -> new RestreamStatus(d.id(), d.display(), RestreamStatus.State.FAILED,
                    "Restreaming needs H.264, HEVC or AV1 video; this broadcast is " + codec + ".")).toList();
            return;
        }
        for (RestreamDestination d : list) {
            Restreamer r = new Restreamer(d, slug, video, Math.max(1, audioChannels), originalAudio, counters);
            running.add(r);
            r.start();
        }
    }

    /** One video frame at decode time {@code ptsMicros}, shown {@code composition} 90 kHz ticks later (B-frames). */
    public void video(byte[] data, long ptsMicros, boolean keyframe, int composition) {
        for (int i = 0; i < running.size(); i++) running.get(i).video(data, ptsMicros, keyframe, composition);
    }

    public void audio(byte[] data, long ptsMicros) {
        for (int i = 0; i < running.size(); i++) running.get(i).audio(data, ptsMicros);
    }

    /** One frame of the publisher's AAC on the timeline (restreams that copy it; see {@link #open}). */
    public void originalAudio(byte[] data, long ptsMicros) {
        for (int i = 0; i < running.size(); i++) running.get(i).originalAudio(data, ptsMicros);
    }

    /** Any thread: each destination's status; empty when the channel restreams nowhere. */
    public List<RestreamStatus> status() {
        if (running.isEmpty()) return lastStatus;
        List<RestreamStatus> out = new ArrayList<>();
        for (Restreamer r : List.copyOf(running)) out.add(r.status());
        return out;
    }

    /** End of the broadcast. */
    public void close() {
        if (running.isEmpty()) return;
        lastStatus = status();
        for (Restreamer r : running) r.close();
        running.clear();
    }
}
