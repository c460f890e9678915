package live.cascade.bench.media;

import live.cascade.api.media.LlHlsPlaylist;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Simulated low-latency HLS viewers, as many as asked, each doing what hls.js does in low-latency mode: a blocking
 * delta reload for the part after the newest one it knows ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES}),
 * then a download of every new part, in a loop. One virtual thread per viewer; one HTTP/1.1 connection each. Prints
 * what it did and the CPU it used itself, so that the node's share can be told apart. Started as its own JVM by
 * {@link LowLatencyHlsViewerLoad}; usable alone: {@code LowLatencyHlsLoadClient <rendition playlist URL> <viewers> <seconds>}.
 */
public final class LowLatencyHlsLoadClient {
    private final LongAdder playlists = new LongAdder();
    private final LongAdder parts = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final java.util.Map<String, LongAdder> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int viewers = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        new LowLatencyHlsLoadClient().run(url, viewers, seconds);
    }

    private void run(String url, int viewers, int seconds) throws InterruptedException {
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            long offset = i * 2_000_000_000L / Math.max(1, viewers); // arrivals spread over 2 s, like real audiences
            threads.add(Thread.ofVirtual().start(() -> viewer(url, start + offset, deadline)));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(waits);
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        long p95 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * 95 / 100));
        System.out.printf("[load] viewers=%d seconds=%.1f playlistRequests=%d perViewerPerSecond=%.2f parts=%d partMbit/s=%.1f errors=%d "
                        + "blockingWaitP50=%dms p95=%dms clientCpuCores=%.2f%n", viewers, elapsed, playlists.sum(),
                playlists.sum() / elapsed / viewers, parts.sum(), bytes.sum() * 8 / elapsed / 1e6, errors.sum(), p50, p95,
                (cpuNanos() - cpu0) / 1e9 / elapsed);
        if (errors.sum() > 0) System.out.println("[load] errors by kind: " + errorKinds);
    }

    private void viewer(String url, long startAt, long deadline) {
        try {
            Thread.sleep(Math.max(0, (startAt - System.nanoTime()) / 1_000_000));
            String sep = url.contains("?") ? "&" : "?";
            LlHlsPlaylist pl = LlHlsPlaylist.parse(get(url));
            Set<String> fetched = new HashSet<>();
            pl.parts().forEach(p -> fetched.add(p.uri())); // joins at the live edge: older parts are not fetched
            while (System.nanoTime() < deadline) {
                long[] next = pl.nextPart();
                long t0 = System.nanoTime();
                String text = get(url + sep + "_HLS_msn=" + next[0] + "&_HLS_part=" + next[1] + "&_HLS_skip=YES");
                if (text == null) continue;
                waits.add((System.nanoTime() - t0) / 1_000_000);
                pl = LlHlsPlaylist.parse(text);
                for (LlHlsPlaylist.PartRef p : pl.parts()) {
                    if (!fetched.add(p.uri())) continue;
                    byte[] b = getBytes(URI.create(url).resolve(p.uri()));
                    if (b != null) {
                        parts.increment();
                        bytes.add(b.length);
                    }
                }
                LlHlsPlaylist listed = pl;
                if (fetched.size() > 200) fetched.removeIf(u -> listed.parts().stream().noneMatch(p -> p.uri().equals(u)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(e.toString());
        }
    }

    private String get(String url) {
        byte[] b = getBytes(URI.create(url));
        playlists.increment();
        return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] getBytes(URI uri) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) return r.body();
            error((uri.getQuery() != null && uri.getQuery().contains("_HLS_msn") ? "playlist " : "part ") + r.statusCode());
        } catch (java.io.IOException e) {
            error(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void error(String kind) {
        errors.increment();
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
