package live.cascade.hls.llhls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One broadcast's low-latency HLS: its renditions, each of which reports the others' live edges
 * ({@code EXT-X-RENDITION-REPORT}).
 */
public final class LowLatencyOutput {
    private final LowLatencySettings settings;
    private final int window;
    private final Map<String, LowLatencyRendition> renditions = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    /** Bumped by every change of any rendition (a playlist shows the others' live edges too). */
    private final AtomicLong version = new AtomicLong();
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();

    private record Rendered(long version, String text) {
    }

    /**
     * @param window complete segments listed: the plain playlist's window plus two, so that delta updates have
     *               segments to skip (the plain output keeps its files a few segments longer than it lists them)
     */
    public LowLatencyOutput(LowLatencySettings settings, int window) {
        this.settings = settings;
        this.window = window;
    }

    public LowLatencySettings settings() { return settings; }

    /** Adds a rendition (on the tap's thread, when the ladder is set up). */
    public LowLatencyRendition add(String name, int targetDuration, LongFunction<Instant> wallClock) {
        LowLatencyRendition r = new LowLatencyRendition(name, window, targetDuration, settings.partTargetMicros(), wallClock,
                version::incrementAndGet);
        renditions.put(name, r);
        order.add(name);
        return r;
    }

    public Optional<LowLatencyRendition> rendition(String name) { return Optional.ofNullable(renditions.get(name)); }

    /**
     * The playlist of {@code r} (a delta update or not) with the other renditions' reports, rendered once per change
     * however many players ask: a part's publication releases every player waiting for it at the same moment.
     */
    public String render(LowLatencyRendition r, boolean delta) {
        long v = version.get(); // read first: what is rendered next is at least this new
        String key = r.name() + (delta ? "|delta" : "|full");
        Rendered c = rendered.get(key);
        if (c != null && c.version() == v) return c.text();
        String text = r.render(delta, reportsFor(r.name()));
        rendered.put(key, new Rendered(v, text));
        return text;
    }

    /** Reports of every rendition but {@code name}, as URIs relative to its playlist. */
    public List<RenditionReport> reportsFor(String name) {
        List<RenditionReport> out = new ArrayList<>();
        for (String other : order) {
            if (other.equals(name)) continue;
            LowLatencyRendition r = renditions.get(other);
            if (r != null) out.add(r.report("../" + other + "/index.m3u8"));
        }
        return out;
    }
}
