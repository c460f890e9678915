package live.cascade.api;

import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real server process and sends it SIGTERM while a request is half-way through. */
@Tag("integration")
class GracefulShutdownTest {
    @TempDir
    Path dataDir;

    @Test
    void sigtermLetsInFlightRequestFinishThenClosesTheDatabase() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), "--http-host", "127.0.0.1", "--http-port", "0", "--data-dir", dataDir.toString(),
                "--rtmp-port", "off",
                "--ice-tcp-port", "0")
                .redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                Pattern running = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = running.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        });
        try {
            int httpPort = port.get(60, TimeUnit.SECONDS);
            String body = "{\"username\":\"late_user\",\"email\":\"late@example.org\",\"password\":\"finishes after sigterm\"}";
            try (Socket s = new Socket("127.0.0.1", httpPort)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/auth/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // "100 Continue" comes once the handler starts reading the body: from then on the request is in flight.
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
                assertThat(in.readLine()).isEmpty();
                out.write(body.substring(0, 20).getBytes(StandardCharsets.UTF_8));
                out.flush();
                // Process.destroy() would also close our end of its output pipe, so signal it the way an init system does.
                assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
                Thread.sleep(500);
                out.write(body.substring(20).getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 201 Created");
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("process exits after SIGTERM").isTrue();
            reader.join(5000);
            assertThat(String.join("\n", lines)).contains("shutting down").contains("stopped");
        } finally {
            p.destroyForcibly();
        }
        // The embedded database was closed cleanly: it opens again and holds what the in-flight request wrote.
        try (Database db = Database.open(DatabaseConfig.h2File(dataDir, 2))) {
            assertThat(db.users().findByLogin("late_user")).isPresent();
        }
    }
}
