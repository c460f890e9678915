package live.cascade.api.media;

import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cascade_media_packets_total} counts real traffic: FFmpeg publishes over WHIP to an in-process node and the
 * packet counters in {@code /metrics} rise. Micrometer holds what a FunctionCounter reads only weakly, so every scrape
 * here follows a {@code System.gc()}: a counter source nobody else holds would be collected and read as 0.
 */
@Tag("integration")
@Timeout(120)
class MediaCountersTest {
    static MediaNode media;

    @BeforeAll
    static void start() {
        // No HLS ladder or recording: this test is about the media plane's counters, and the CPU is shared.
        media = MediaNode.start("--hls-ladder", "off", "--recordings", "false");
    }

    @AfterAll
    static void stop() {
        if (media != null) media.close();
    }

    @Test
    void packetCountersRiseInMetricsWhileAPublisherSendsMedia() throws InterruptedException {
        Channel channel = media.createChannel("counters");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.ladderSource(channel.whipUrl(), channel.streamKey(), 320, 180, 60)) {
            long first = awaitCounter("RTP_RECEIVED", 50, ffmpeg);
            assertThat(counterAfterGc("RX_DATAGRAMS")).as("datagrams received").isGreaterThanOrEqualTo(first);
            assertThat(counterAfterGc("DTLS_HANDSHAKES")).as("the publisher's DTLS handshake").isPositive();
            Thread.sleep(1500); // the metrics snapshot is reused for up to 500 ms
            assertThat(counterAfterGc("RTP_RECEIVED")).as("RTP keeps being counted\n%s", ffmpeg.diagnostics()).isGreaterThan(first);
        }
    }

    @Test
    void receiveStageCountersRiseInMetricsWhileAPublisherSendsMedia() throws InterruptedException {
        Channel channel = media.createChannel("stages");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.ladderSource(channel.whipUrl(), channel.streamKey(), 320, 180, 60)) {
            long deadline = System.nanoTime() + Eventually.TIMEOUT.toNanos();
            long stored = 0;
            while (stored < 50 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                stored = stageCounter("history", "out");
            }
            assertThat(stored).as("packets stored in the history\n%s", ffmpeg.diagnostics()).isGreaterThanOrEqualTo(50);
            assertThat(stageCounter("parse", "in")).as("every packet enters the first stage").isGreaterThanOrEqualTo(stored);
            assertThat(stageCounter("fan_out", "in")).as("what was stored is fanned out").isPositive();
        }
    }

    @Test
    void forwardDelayHistogramCountsEveryPublisherPacketWithItsTimeInTheNode() throws InterruptedException {
        Channel channel = media.createChannel("delays");
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.ladderSource(channel.whipUrl(), channel.streamKey(), 320, 180, 60)) {
            long first = awaitCounter("RTP_RECEIVED", 50, ffmpeg);
            Thread.sleep(1500);
            String metrics = media.node.get("/metrics", null).body();
            java.util.List<String> lines = metrics.lines().filter(l -> l.startsWith("cascade_media_forward_delay_seconds")).toList();
            long count = (long) Double.parseDouble(value(metrics, "cascade_media_forward_delay_seconds_count"));
            double sum = Double.parseDouble(value(metrics, "cascade_media_forward_delay_seconds_sum"));
            long received = counterAfterGc("RTP_RECEIVED");
            // Loopback gives every datagram a kernel stamp: each RTP packet read since start is in the histogram.
            assertThat(count).as("packets in the histogram\n%s", lines).isGreaterThanOrEqualTo(first).isLessThanOrEqualTo(received);
            assertThat(sum).as("seconds spent in the node, summed").isPositive().isLessThan(count * 0.1);
            // Cumulative buckets, the last (+Inf) equal to the count, as Prometheus' histogram_quantile reads them.
            Matcher bucket = Pattern.compile("(?m)^cascade_media_forward_delay_seconds_bucket\\{le=\"([^\"]+)\"} (\\S+)$").matcher(metrics);
            double previous = -1;
            long buckets = 0;
            String lastBound = null;
            while (bucket.find()) {
                double c = Double.parseDouble(bucket.group(2));
                assertThat(c).as("bucket le=%s is cumulative", bucket.group(1)).isGreaterThanOrEqualTo(previous);
                previous = c;
                lastBound = bucket.group(1);
                buckets++;
            }
            assertThat(buckets).as("the buckets\n%s", lines).isEqualTo(11);
            assertThat(lastBound).isEqualTo("+Inf");
            assertThat((long) previous).isEqualTo(count);
            assertThat(value(metrics, "cascade_media_forward_delay_seconds_bucket{le=\"0.1\"}"))
                    .as("an idle node forwards within 100 ms").satisfies(v -> assertThat((long) Double.parseDouble(v)).isPositive());
        }
    }

    private static String value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        if (!m.find()) throw new AssertionError("no " + series + " in /metrics:\n"
                + metrics.lines().filter(l -> l.startsWith("cascade_media_forward")).toList());
        return m.group(1);
    }

    private static long stageCounter(String stage, String outcome) {
        String metrics = media.node.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^cascade_media_stage_packets_total\\{outcome=\"" + outcome + "\",stage=\"" + stage
                + "\"} (\\S+)$").matcher(metrics);
        if (!m.find()) throw new AssertionError("no cascade_media_stage_packets_total{stage=\"" + stage + "\",outcome=\""
                + outcome + "\"} in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    private static long awaitCounter(String name, long atLeast, FfmpegPublisher ffmpeg) throws InterruptedException {
        long deadline = System.nanoTime() + Eventually.TIMEOUT.toNanos();
        long value = 0;
        while (System.nanoTime() < deadline) {
            value = counterAfterGc(name);
            if (value >= atLeast) return value;
            Thread.sleep(500);
        }
        throw new AssertionError("cascade_media_packets_total{counter=\"" + name + "\"} stayed at " + value
                + " while FFmpeg published\n" + media.node.get("/metrics", null).body().lines()
                .filter(l -> l.startsWith("cascade_media_packets_total")).toList() + "\n" + ffmpeg.diagnostics());
    }

    private static long counterAfterGc(String name) {
        System.gc();
        String metrics = media.node.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^cascade_media_packets_total\\{counter=\"" + Pattern.quote(name) + "\"} (\\S+)$").matcher(metrics);
        if (!m.find()) throw new AssertionError("no cascade_media_packets_total{counter=\"" + name + "\"} in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }
}
