package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.signaling.session.ChannelRef;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bundled FFmpeg publishes over RTMPS ({@code rtmps://…}: RTMP inside TLS) to the server with a self-signed
 * certificate (FFmpeg does not verify by default, as OBS does not for self-hosted servers), and over plain RTMP:
 * the server receives its sequence headers and frames either way.
 */
@Tag("integration")
@Timeout(60)
class FfmpegRtmpsInteropTest {
    @Test
    void ffmpegPublishesOverRtmpsAndRtmp() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        SslContext tls = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
        for (boolean secure : new boolean[] {true, false}) {
            List<byte[]> video = new CopyOnWriteArrayList<>();
            List<byte[]> audio = new CopyOnWriteArrayList<>();
            List<String> protocols = new CopyOnWriteArrayList<>();
            RtmpCounters counters = new RtmpCounters();
            try (RtmpServer server = RtmpServer.start("127.0.0.1", 0, 1,
                    key -> key.equals("sk") ? new IngestGate.Admitted(new ChannelRef(1, "c"))
                            : new IngestGate.Refused(IngestGate.Reason.UNKNOWN_KEY, "no"),
                    (c, ev, t) -> {
                        protocols.add(ev.protocol());
                        return new StreamPublisher() {
                        @Override public void video(long ts, byte[] tag) { video.add(tag); }
                        @Override public void audio(long ts, byte[] tag) { audio.add(tag); }
                        @Override public void close() { }
                        };
                    }, counters, secure ? tls : null)) {
                String url = (secure ? "rtmps" : "rtmp") + "://127.0.0.1:" + server.port() + "/live/sk";
                Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
                ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "warning",
                        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                        "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-b:a", "64k", "-f", "flv", url).redirectErrorStream(true);
                pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
                Process p = pb.start();
                String log = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("ffmpeg to %s:\n%s", url, log).isZero();
                // FFmpeg is done sending when it exits, not the server reading: wait (bounded) for the tags to arrive.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((video.size() < 15 || audio.size() < 30) && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(counters.publishes()).isEqualTo(1);
                assertThat(protocols).containsExactly(secure ? "rtmps" : "rtmp");
                assertThat(counters.protocolErrors()).isZero();
                assertThat(video).as(url).hasSizeGreaterThanOrEqualTo(15);
                assertThat(video.getFirst()[1]).as("AVC sequence header first").isEqualTo((byte) 0);
                assertThat(audio).hasSizeGreaterThanOrEqualTo(30);
            }
        }
        cert.delete();
    }
}
