package live.cascade.ingest.srt;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import live.cascade.ingest.IngestGate;
import live.cascade.ingest.StreamPublisher;
import live.cascade.ingest.rtmp.RtmpServer;
import live.cascade.ingest.ts.TsDemuxer;
import live.cascade.signaling.session.ChannelRef;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * Where an SRT publish's delay goes (issue 23), per video frame: from writing the picture to the bundled FFmpeg (the
 * benchmark's encoder settings and clock pictures) until the publisher sees its tag, over RTMP, over SRT, and over
 * plain UDP without libsrt, where it also gives when the frame's PES starts arriving and when the demuxer hands the
 * frame out. The n-th tag is the n-th picture. Not a test (surefire does not run *Probe):
 * {@code mvn -o -q test -pl ingest -am -Dtest=SrtLatencyProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprobe.variants=rtmp,srt,udp [-Dprobe.gateMs=150] [-Dprobe.muxdelay=0] [-Dprobe.ffargs="-flush_packets 1"]};
 * lines go to {@code ingest/target/srt-latency-probe.txt} (libsrt's own log lines interleave with standard output).
 * {@code probe.gateMs} makes the stream-key check take that long, {@code probe.openMs} the publisher's opening;
 * {@code probe.extra} is appended to the SRT URL (e.g. {@code &latency=20000}).
 */
class SrtLatencyProbe {
    static final int W = 640, H = 360, FPS = 30;

    @Test
    void measure() throws Exception {
        String mux = System.getProperty("probe.muxdelay", "0.7");
        String extra = System.getProperty("probe.extra", "");
        int seconds = Integer.getInteger("probe.seconds", 8);
        for (String variant : System.getProperty("probe.variants", "rtmp,srt,udp").split(",")) {
            switch (variant) {
                case "rtmp" -> rtmp(seconds);
                case "srt" -> srt(seconds, mux, extra);
                default -> udp(seconds, mux);
            }
        }
    }

    void rtmp(int seconds) throws Exception {
        List<Long> tags = new ArrayList<>();
        try (RtmpServer server = RtmpServer.start("127.0.0.1", 0, 1, key -> new IngestGate.Admitted(new ChannelRef(1, "c")),
                (c, ev, t) -> recorder(tags))) {
            long[] written = encode("rtmp://127.0.0.1:" + server.port() + "/live/k", "flv", "0.7", seconds);
            report("rtmp", written, tags, null);
        }
    }

    void srt(int seconds, String mux, String extra) throws Exception {
        List<Long> tags = new ArrayList<>();
        try (SrtServer server = SrtServer.start("127.0.0.1", 0, 120, "", key -> {
                    try { Thread.sleep(Long.getLong("probe.gateMs", 0)); } catch (InterruptedException e) { }
                    return new IngestGate.Admitted(new ChannelRef(1, "c"));
                },
                (c, ev, t) -> {
                    try { Thread.sleep(Long.getLong("probe.openMs", 0)); } catch (InterruptedException e) { }
                    return recorder(tags);
                }, new SrtCounters())) {
            long[] written = encode("srt://127.0.0.1:" + server.port() + "?streamid=k" + extra, "mpegts", mux, seconds);
            report("srt mux=" + mux + " " + extra, written, tags, null);
        }
    }

    void udp(int seconds, String mux) throws Exception {
        List<Long> tags = new ArrayList<>();
        List<Long> pesStart = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(3000);
            Thread demux = Thread.ofPlatform().start(() -> {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                TsDemuxer.run((address, capacity) -> {
                    try {
                        socket.receive(p);
                    } catch (IOException e) {
                        return 0;
                    }
                    long now = System.nanoTime();
                    byte[] d = p.getData();
                    for (int o = 0; o + 188 <= p.getLength(); o += 188) {
                        int pid = ((d[o + 1] & 0x1F) << 8) | (d[o + 2] & 0xFF);
                        if (pid == 0x100 && (d[o + 1] & 0x40) != 0) synchronized (pesStart) { pesStart.add(now); }
                    }
                    int n = Math.min(capacity, p.getLength());
                    new com.sun.jna.Pointer(address).write(0, d, 0, n);
                    return n;
                }, new TsDemuxer.Sink() {
                    @Override public void video(byte[] data, int len, long pts90, long dts90) {
                        synchronized (tags) { tags.add(System.nanoTime()); }
                    }
                    @Override public void hevc(byte[] data, int len, long pts90, long dts90) { }
                    @Override public void audio(byte[] data, int len, long pts90) { }
                });
            });
            long[] written = encode("udp://127.0.0.1:" + socket.getLocalPort() + "?pkt_size=1316", "mpegts", mux, seconds);
            demux.join(6000);
            report("udp mux=" + mux, written, tags, pesStart);
        }
    }

    static StreamPublisher recorder(List<Long> tags) {
        return new StreamPublisher() {
            @Override public void video(long ts, byte[] tag) {
                if (tag[1] == 1) synchronized (tags) { tags.add(System.nanoTime()); }
            }
            @Override public void audio(long ts, byte[] tag) { }
            @Override public void close() { }
        };
    }

    static void report(String what, long[] written, List<Long> tags, List<Long> pes) {
        int n = Math.min(written.length, tags.size());
        long[] d = new long[n];
        for (int i = 0; i < n; i++) d[i] = (tags.get(i) - written[i]) / 1_000_000;
        String pesPart = "";
        if (pes != null) {
            int m = Math.min(n, pes.size());
            long[] e = new long[m], h = new long[m];
            for (int i = 0; i < m; i++) {
                e[i] = (pes.get(i) - written[i]) / 1_000_000;
                h[i] = (tags.get(i) - pes.get(i)) / 1_000_000;
            }
            pesPart = " | written->PES start arrives p50 " + p(e, 50) + " | PES start->demuxer hands out p50 " + p(h, 50) + " p95 " + p(h, 95);
        }
        String line = String.format("PROBE %-28s gate %s open %s frames %d/%d written->tag p50 %d p95 %d min %d%s load %s%n", what,
                System.getProperty("probe.gateMs", "0"), System.getProperty("probe.openMs", "0"), n, written.length,
                p(d, 50), p(d, 95), n == 0 ? -1 : Arrays.stream(d).min().getAsLong(), pesPart, load());
        try {
            java.nio.file.Files.writeString(Path.of("target/srt-latency-probe.txt"), line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) { }
    }

    static long p(long[] v, int pct) {
        if (v.length == 0) return -1;
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * pct / 100)];
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The benchmark's encoder; returns the nanoTime each picture was written. */
    static long[] encode(String url, String format, String mux, int seconds) throws Exception {
        Path ffmpeg = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        List<String> cmd = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "warning",
                "-f", "rawvideo", "-pix_fmt", "gray", "-s", W + "x" + H, "-framerate", String.valueOf(FPS), "-i", "-",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                "-g", String.valueOf(FPS), "-b:v", "1500k", "-threads", "2",
                "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2",
                "-f", format, "-flvflags", "no_duration_filesize", "-muxdelay", mux));
        String extraArgs = System.getProperty("probe.ffargs", "");
        if (!extraArgs.isBlank()) cmd.addAll(List.of(extraArgs.trim().split(" ")));
        cmd.add(url);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        Process proc = pb.start();
        int frames = seconds * FPS;
        long[] written = new long[frames];
        byte[] picture = new byte[W * H];
        long period = 1_000_000_000L / FPS;
        long next = System.nanoTime();
        try (OutputStream out = proc.getOutputStream()) {
            for (int i = 0; i < frames; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                draw(picture, i);
                written[i] = System.nanoTime();
                out.write(picture);
                out.flush();
                next += period;
            }
        }
        Thread.sleep(1500);
        proc.destroy();
        proc.waitFor(5, TimeUnit.SECONDS);
        return written;
    }

    static void draw(byte[] picture, int i) {
        long now = System.currentTimeMillis();
        int value = (int) (now & 0xFFFFFF);
        int check = ((value & 0xFF) + ((value >>> 8) & 0xFF) * 3 + ((value >>> 16) & 0xFF) * 7 + 0x5A) & 0xFF;
        long word = ((long) value << 8) | check;
        int cw = W / 8, ch = H / 4;
        for (int b = 0; b < 32; b++) {
            byte level = (byte) (((word >>> (31 - b)) & 1) == 1 ? 255 : 0);
            int x0 = (b % 8) * cw, y0 = (b / 8) * ch;
            for (int y = y0; y < y0 + ch; y++) Arrays.fill(picture, y * W + x0, y * W + x0 + cw, level);
        }
    }
}
