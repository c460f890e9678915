package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Viewer;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Glass-to-glass latency of an RTMP publish played over WHEP, next to a WHIP publish's (issue 23). The RTMP publisher
 * is the bundled FFmpeg as an encoder: this program draws {@code System.currentTimeMillis()} as the viewer page's clock
 * pattern ({@code clock.js}: 24 bits of milliseconds and a check byte in 32 black/white cells) into 640x360 grey
 * pictures, 30 a second, and pipes them into FFmpeg, which encodes them with libx264 (ultrafast, zero-latency tuning, no
 * B-frames, a keyframe a second; plus a paced AAC tone) and publishes FLV to the node's RTMP ingest. Chromium plays the
 * channel over WHEP and reads the clock back from every presented frame: the age covers FFmpeg's encode, RTMP, the
 * node's FLV → RTP and AAC → Opus, WebRTC to the page, jitter buffer, decode and presentation. WHIP rounds (Chromium's
 * canvas publisher, {@link GlassToGlassBenchmark}) alternate with RTMP rounds so both see the same load. SRT rounds
 * (the same encoder muxing MPEG-TS to the node's SRT listener as a caller, FFmpeg's default 120 ms SRT latency) run
 * between them unless {@code --srt=0} ({@code --srt-options=&latency=20000} appends caller options to the URL). The
 * encoder's MPEG-TS mux delay is 0, as docs/streaming.md advises for SRT ({@code --muxdelay=0.7} for FFmpeg's default:
 * its muxer then gathers AAC into PES packets of up to 2,930 bytes, and a viewer playing audio holds the video to it).
 *
 * <p>Run: {@code bench/run RtmpGlassToGlassBenchmark --seconds=30 --rounds=2} ({@code --audio=0}: video alone).
 */
public final class RtmpGlassToGlassBenchmark {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int FPS = 30;

    private RtmpGlassToGlassBenchmark() {}

    public static void main(String[] argv) {
        List<String> a = new ArrayList<>();
        String node = "--rtmp-port 0 --srt-port 0";
        for (String s : argv) {
            if (s.startsWith("--node=")) node = node + " " + s.substring("--node=".length());
            else a.add(s);
        }
        a.add("--node=" + node);
        Args args = new Args(a.toArray(String[]::new));
        int seconds = args.integer("seconds", 30);
        int rounds = args.integer("rounds", 2);
        boolean audio = args.integer("audio", 1) != 0;
        boolean withSrt = args.integer("srt", 1) != 0;
        String muxDelay = args.text("muxdelay", "0"); // the encoder's -muxdelay: with audio, 0.7 adds about 55 ms to SRT
        String srtOptions = args.text("srt-options", ""); // appended to the SRT URL, e.g. "&latency=20000" (FFmpeg: µs)
        List<Long> rtmp = new ArrayList<>();
        List<Long> srt = new ArrayList<>();
        List<Long> whip = new ArrayList<>();
        try (BenchBed bed = BenchBed.start(args)) {
            int port = bed.media.node.server.media().rtmp().port().orElseThrow();
            int srtPort = bed.media.node.server.media().rtmp().srtPort().orElseThrow();
            report("rtmp glass-to-glass: Chromium %s, %d round(s) of %d s per path, viewer %s; %s", bed.browser.version(), rounds,
                    seconds, audio ? "audio+video" : "video only", LoadAverage.now());
            for (int round = 1; round <= rounds; round++) {
                int r = round;
                retryOnce(() -> encoderRound(bed, "rtmp", key -> "rtmp://127.0.0.1:" + port + "/live/" + key, r, seconds, audio, rtmp, muxDelay));
                if (withSrt) {
                    retryOnce(() -> encoderRound(bed, "srt", key -> "srt://127.0.0.1:" + srtPort + "?streamid=" + key + srtOptions, r, seconds, audio, srt, muxDelay));
                }
                retryOnce(() -> GlassToGlassBenchmark.serverRound(bed, r, seconds, audio, whip));
            }
            Distribution r = new Distribution(rtmp);
            Distribution w = new Distribution(whip);
            report("rtmp glass-to-glass RESULT rtmp (pictures -> FFmpeg x264 ultrafast zerolatency -> RTMP -> node -> WHEP -> video): %s", r);
            if (withSrt) {
                Distribution t = new Distribution(srt);
                report("rtmp glass-to-glass RESULT srt (the same FFmpeg -> MPEG-TS over SRT, latency %s -> node -> WHEP -> video): %s",
                        "FFmpeg's default 120 ms", t);
                report("rtmp glass-to-glass RESULT srt p50 - whip p50 = %d ms, srt p50 - rtmp p50 = %d ms",
                        t.percentile(50) - new Distribution(whip).percentile(50), t.percentile(50) - r.percentile(50));
            }
            report("rtmp glass-to-glass RESULT whip (canvas -> Chromium encoder -> WHIP -> node -> WHEP -> video): %s", w);
            report("rtmp glass-to-glass RESULT rtmp p50 - whip p50 = %d ms, p95 difference %d ms; %s",
                    r.percentile(50) - w.percentile(50), r.percentile(95) - w.percentile(95), LoadAverage.now());
        }
    }

    /**
     * A round whose set-up request fails on a reused HTTP connection the loaded node had just closed ("header parser
     * received no bytes") runs once more.
     */
    private static void retryOnce(Runnable round) {
        try {
            round.run();
        } catch (UncheckedIOException e) {
            report("round set-up failed (%s); once more", e.getMessage());
            round.run();
        }
    }

    /** A round whose publisher is the clock encoder sending to {@code url.apply(streamKey)} ({@code protocol}: rtmp or srt). */
    private static void encoderRound(BenchBed bed, String protocol, java.util.function.UnaryOperator<String> url, int round,
                                     int seconds, boolean audio, List<Long> all, String muxDelay) {
        Channel channel = bed.media.createChannel("g2g" + protocol);
        Viewer viewer = Viewer.open(bed.browser);
        try (ClockEncoder encoder = ClockEncoder.start(url.apply(channel.streamKey()), muxDelay)) {
            viewer.play(channel.whepUrl(), true, Map.of("audio", audio));
            Eventually.await("the viewer decodes 60 clock frames of the " + protocol + " publish", viewer::stats,
                    s -> Viewer.framesDecoded(s) >= 60, () -> viewer.diagnostics() + "\n" + encoder.diagnostics());
            viewer.drainClockSamples();
            JsonNode before = viewer.stats();
            List<Long> samples = GlassToGlassBenchmark.collect(seconds, viewer::drainClockSamples);
            JsonNode after = viewer.stats();
            all.addAll(samples);
            report("rtmp glass-to-glass " + protocol + " round %d: %s; %s presented, %d unreadable; %s, %dx%d, viewer jitter buffer %.1f ms avg "
                            + "(audio's %.1f ms avg); %d times more than a picture behind; %s",
                    round, new Distribution(samples),
                    after.at("/presentedFrames").asLong() - before.at("/presentedFrames").asLong(),
                    after.at("/clockUnreadable").asLong() - before.at("/clockUnreadable").asLong(),
                    after.at("/pc/inbound/video/codec").asText(),
                    after.at("/pc/inbound/video/frameWidth").asInt(), after.at("/pc/inbound/video/frameHeight").asInt(),
                    GlassToGlassBenchmark.jitterBufferMillis(before, after, "/pc"),
                    GlassToGlassBenchmark.perFrame(before, after, "/pc/inbound/audio", "jitterBufferDelay"), encoder.late(), LoadAverage.now());
            viewer.stop();
        } finally {
            viewer.close();
        }
    }

    /** FFmpeg fed the clock pattern on its standard input, publishing over RTMP; stops when closed. */
    static final class ClockEncoder implements AutoCloseable {
        private static final int MASK = 0xFFFFFF;
        private final Process process;
        private final Thread writer;
        private final StringBuilder log = new StringBuilder();
        private volatile boolean stop;
        private volatile long late;

        private ClockEncoder(Process process) {
            this.process = process;
            this.writer = Thread.ofPlatform().daemon().name("clock-frames").start(this::write);
            Thread.ofPlatform().daemon().name("clock-ffmpeg-log").start(() -> {
                try {
                    String s = new String(process.getErrorStream().readAllBytes());
                    synchronized (log) {
                        log.append(s);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** @param muxDelay FFmpeg's {@code -muxdelay} in seconds (its default 0.7): how long its MPEG-TS muxer may hold audio */
        static ClockEncoder start(String url, String muxDelay) {
            Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
            ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "warning",
                    "-f", "rawvideo", "-pix_fmt", "gray", "-s", WIDTH + "x" + HEIGHT, "-framerate", String.valueOf(FPS), "-i", "-",
                    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-map", "0:v", "-map", "1:a",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                    "-g", String.valueOf(FPS), "-b:v", "1500k", "-threads", "2",
                    "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2",
                    "-f", url.startsWith("srt:") ? "mpegts" : "flv", "-flvflags", "no_duration_filesize",
                    "-muxdelay", muxDelay, url);
            pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
            try {
                return new ClockEncoder(pb.start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Draws the clock into a grey picture 30 times a second, on an absolute schedule, and writes it to FFmpeg. */
        private void write() {
            byte[] picture = new byte[WIDTH * HEIGHT];
            long period = 1_000_000_000L / FPS;
            long next = System.nanoTime();
            try (OutputStream out = process.getOutputStream()) {
                while (!stop) {
                    long now = System.nanoTime();
                    long wait = next - now;
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else if (wait < -period) {
                        // More than a picture behind (FFmpeg or this thread did not get the CPU): skip ahead rather
                        // than write a burst; the pictures' clocks are read at writing, so ages stay true.
                        late++;
                        next = now;
                    }
                    draw(picture, System.currentTimeMillis());
                    out.write(picture);
                    out.flush();
                    next += period;
                }
            } catch (IOException e) {
                // FFmpeg stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** clock.js's pattern: 8x4 cells, value (24 bits) then check (8 bits), most significant first; white = 1. */
        static void draw(byte[] picture, long now) {
            int value = (int) (now & MASK);
            int check = ((value & 0xFF) + ((value >>> 8) & 0xFF) * 3 + ((value >>> 16) & 0xFF) * 7 + 0x5A) & 0xFF;
            long word = ((long) value << 8) | check;
            int cw = WIDTH / 8;
            int ch = HEIGHT / 4;
            for (int i = 0; i < 32; i++) {
                byte level = (byte) (((word >>> (31 - i)) & 1) == 1 ? 255 : 0);
                int x0 = (i % 8) * cw;
                int y0 = (i / 8) * ch;
                for (int y = y0; y < y0 + ch; y++) java.util.Arrays.fill(picture, y * WIDTH + x0, y * WIDTH + x0 + cw, level);
            }
        }

        long late() { return late; }

        String diagnostics() {
            synchronized (log) {
                return "ffmpeg: " + (process.isAlive() ? "running" : "exited " + process.exitValue()) + "\n" + log;
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                writer.join(2000);
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
