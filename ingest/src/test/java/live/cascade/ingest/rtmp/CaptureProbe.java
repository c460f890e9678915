package live.cascade.ingest.rtmp;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.signaling.session.ChannelRef;
import org.junit.jupiter.api.Test;

/**
 * Records what a real encoder sends this server (client to server bytes, through a relay) into
 * {@code src/test/resources/rtmp/<name>.bin}, for {@link CapturedStreamTest}. Not a test (surefire does not run
 * *Probe): {@code mvn -o test -pl ingest -am -Dtest=CaptureProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcapture.ffmpeg=/path/to/ffmpeg}.
 */
class CaptureProbe {
    @Test
    void captureFfmpeg() throws Exception {
        String ffmpeg = System.getProperty("capture.ffmpeg");
        try (RtmpServer server = RtmpServer.start("127.0.0.1", 0, 1, key -> new IngestGate.Admitted(new ChannelRef(1, "c")),
                (c, ev, t) -> new StreamPublisher() {
                    @Override public void video(long ts, byte[] tag) { }
                    @Override public void audio(long ts, byte[] tag) { }
                    @Override public void close() { }
                });
             ServerSocket relay = new ServerSocket(0)) {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            Thread t = Thread.ofPlatform().start(() -> {
                try (Socket client = relay.accept(); Socket upstream = new Socket("127.0.0.1", server.port())) {
                    InputStream fromServer = upstream.getInputStream();
                    OutputStream toClient = client.getOutputStream();
                    Thread back = Thread.ofPlatform().start(() -> pump(fromServer, toClient, null));
                    pump(client.getInputStream(), upstream.getOutputStream(), captured);
                    back.join(2000);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning",
                    "-f", "lavfi", "-i", "testsrc=size=160x120:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "64k", "-f", "flv", "rtmp://127.0.0.1:" + relay.getLocalPort() + "/live/capture_key")
                    .inheritIO().start();
            p.waitFor(30, TimeUnit.SECONDS);
            t.join(5000);
            Files.write(Path.of("src/test/resources/rtmp/ffmpeg-publish.bin"), captured.toByteArray());
            System.out.println("[capture] " + captured.size() + " bytes");
        }
    }

    private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (copy != null) synchronized (copy) { copy.write(buf, 0, n); }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (Exception ignored) {
            // the other side closed
        }
    }
}
