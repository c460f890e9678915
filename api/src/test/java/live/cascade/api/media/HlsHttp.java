package live.cascade.api.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fetching and reading HLS for the tests: playlists, variants, segments, and a rendition's media in one file. */
public final class HlsHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One {@code EXT-X-STREAM-INF} of a master playlist. */
    public record Variant(URI uri, Map<String, String> attributes) {
        public String name() {
            String[] parts = uri.getPath().split("/");
            return parts[parts.length - 2];
        }

        public String resolution() { return attributes.get("RESOLUTION"); }

        public String codecs() { return attributes.get("CODECS"); }

        public long bandwidth() { return Long.parseLong(attributes.get("BANDWIDTH")); }
    }

    private HlsHttp() {}

    public static HttpResponse<byte[]> get(URI uri, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static String text(HttpResponse<byte[]> r) { return new String(r.body(), StandardCharsets.UTF_8); }

    /** The body of {@code u} once it answers 200, polling up to {@code within}; {@code diagnostics} explain a failure. */
    public static String awaitOk(URI u, Duration within, Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<byte[]> last = null;
        while (System.nanoTime() < deadline) {
            last = get(u);
            if (last.statusCode() == 200) return text(last);
            Thread.sleep(250);
        }
        throw new AssertionError(u + " never answered 200 (last: " + (last == null ? "-" : last.statusCode() + " " + text(last))
                + ")\n" + diagnostics.get());
    }

    /** The media playlist once it lists {@code n} segments, polling up to {@code within}. */
    public static String awaitSegments(URI playlist, int n, Duration within, Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> r = get(playlist);
            body = text(r);
            if (r.statusCode() == 200 && segments(playlist, body).size() >= n) return body;
            Thread.sleep(250);
        }
        throw new AssertionError(playlist + " never had " + n + " segments:\n" + body + "\n" + diagnostics.get());
    }

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

    public static List<Variant> variants(URI master, String body) {
        List<Variant> out = new ArrayList<>();
        String[] lines = body.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (!lines[i].startsWith("#EXT-X-STREAM-INF:")) continue;
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher m = ATTRIBUTE.matcher(lines[i].substring("#EXT-X-STREAM-INF:".length()));
            while (m.find()) attrs.put(m.group(1), m.group(2).replace("\"", ""));
            out.add(new Variant(master.resolve(lines[i + 1].trim()), attrs));
        }
        return out;
    }

    /** Segment URIs of a media playlist, with their EXTINF durations. */
    public record Segment(URI uri, double duration) {
    }

    public static List<Segment> segments(URI playlist, String body) {
        List<Segment> out = new ArrayList<>();
        double d = -1;
        for (String line : body.split("\n")) {
            if (line.startsWith("#EXTINF:")) d = Double.parseDouble(line.substring(8, line.indexOf(',')));
            else if (!line.isBlank() && !line.startsWith("#") && d >= 0) {
                out.add(new Segment(playlist.resolve(line.trim()), d));
                d = -1;
            }
        }
        return out;
    }

    public static URI map(URI playlist, String body) {
        Matcher m = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(body);
        if (!m.find()) throw new AssertionError("no EXT-X-MAP in " + body);
        return playlist.resolve(m.group(1));
    }

    /** The init segment and the given segments in one file, as a player appends them. */
    public static Path download(URI init, List<Segment> segments, Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            out.write(ok(get(init)).body());
            for (Segment s : segments) out.write(ok(get(s.uri())).body());
        }
        return file;
    }

    public static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) throw new AssertionError(r.uri() + " answered " + r.statusCode() + ": " + text(r));
        return r;
    }

    /** CPU seconds used so far by this process's threads whose name starts with {@code prefix} (all when empty). */
    public static double cpuSeconds(String prefix) {
        double ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (!comm.startsWith(prefix)) continue;
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks / 100.0;
    }
}
