package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.DirectPeers;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Glass-to-glass latency over loopback in Chromium, and its floor. The publisher page draws {@code Date.now()} into a
 * canvas captured as its video track; the viewer reads the clock back from every frame its {@code <video>} presents
 * and subtracts it from its own {@code Date.now()} (same machine, same clock). Two paths, measured in alternating
 * rounds so that both see the same changes in machine load:
 * <ul>
 *   <li>server: canvas → WHIP → node → WHEP → {@code <video>} (two pages, one publisher and one viewer);</li>
 *   <li>floor: the same canvas and read-back, also in two pages, one RTCPeerConnection straight to the other, no
 *       server, the codec the server path negotiated.</li>
 * </ul>
 * The difference is what the server adds (one more hop through the kernel, SRTP decrypt/encrypt, the router; plus a
 * second receive-side jitter buffer's worth of packet timing it can disturb). Goal: server p50 within 5 ms of the floor.
 *
 * <p>Run: {@code bench/run GlassToGlassBenchmark --seconds=30 --rounds=2};
 * {@code --audio=0} measures video alone on both paths.
 */
public final class GlassToGlassBenchmark {
    private GlassToGlassBenchmark() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int seconds = args.integer("seconds", 30);
        int rounds = args.integer("rounds", 2);
        // --audio=0: the viewer plays video alone and the floor sends video alone, which takes audio/video
        // synchronisation (video waits for the audio jitter buffer) out of both paths.
        boolean audio = args.integer("audio", 1) != 0;
        List<Long> server = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        try (BenchBed bed = BenchBed.start(args)) {
            report("glass-to-glass: Chromium %s, %d round(s) of %d s per path, viewer %s; %s", bed.browser.version(), rounds, seconds,
                    audio ? "audio+video" : "video only", LoadAverage.now());
            String codec = null;
            for (int round = 1; round <= rounds; round++) {
                codec = serverRound(bed, round, seconds, audio, server);
                floorRound(bed, round, seconds, codec, audio, floor);
            }
            Distribution s = new Distribution(server);
            Distribution f = new Distribution(floor);
            report("glass-to-glass RESULT server (canvas -> WHIP -> node -> WHEP -> video, %s): %s", codec, s);
            report("glass-to-glass RESULT floor  (canvas -> RTCPeerConnection -> RTCPeerConnection -> video, two pages): %s", f);
            report("glass-to-glass RESULT server p50 - floor p50 = %d ms (goal <= 5 ms), p95 difference %d ms; %s",
                    s.percentile(50) - f.percentile(50), s.percentile(95) - f.percentile(95), LoadAverage.now());
        }
    }

    /** One round through the node; returns the negotiated video codec (mimeType). */
    static String serverRound(BenchBed bed, int round, int seconds, boolean audio, List<Long> all) {
        Channel channel = bed.media.createChannel("g2g");
        Publisher publisher = Publisher.open(bed.browser);
        Viewer viewer = Viewer.open(bed.browser);
        try {
            publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.CLOCK);
            viewer.play(channel.whepUrl(), true, java.util.Map.of("audio", audio));
            Eventually.await("the viewer decodes 60 clock frames", viewer::stats,
                    s -> Viewer.framesDecoded(s) >= 60, () -> viewer.diagnostics() + "\n" + publisher.diagnostics());
            viewer.drainClockSamples();
            JsonNode before = viewer.stats();
            LoadAverage load = LoadAverage.now();
            List<Long> samples = collect(seconds, viewer::drainClockSamples);
            JsonNode after = viewer.stats();
            JsonNode sent = publisher.stats();
            all.addAll(samples);
            String codec = after.at("/pc/inbound/video/codec").asText();
            report("glass-to-glass server round %d: %s; %s presented, %d unreadable; %s, %dx%d, publisher %s fps "
                            + "(limited by %s, estimate %s bit/s), viewer jitter buffer %.1f ms avg (target %.1f ms, minimum %.1f ms; "
                            + "audio's %.1f ms avg); %s (at start: %s)",
                    round, new Distribution(samples),
                    after.at("/presentedFrames").asLong() - before.at("/presentedFrames").asLong(),
                    after.at("/clockUnreadable").asLong() - before.at("/clockUnreadable").asLong(), codec,
                    after.at("/pc/inbound/video/frameWidth").asInt(), after.at("/pc/inbound/video/frameHeight").asInt(),
                    sent.at("/pc/outbound/video/framesPerSecond").asText(), sent.at("/pc/outbound/video/qualityLimitationReason").asText(),
                    sent.at("/pc/selectedPair/availableOutgoingBitrate").asText(), jitterBufferMillis(before, after, "/pc"),
                    jitterBufferTargetMillis(before, after, "/pc"), perFrame(before, after, "/pc/inbound/video", "jitterBufferMinimumDelay"),
                    perFrame(before, after, "/pc/inbound/audio", "jitterBufferDelay"), LoadAverage.now(), load);
            viewer.stop();
            publisher.stop();
            return codec;
        } finally {
            viewer.close();
            publisher.close();
        }
    }

    private static void floorRound(BenchBed bed, int round, int seconds, String codec, boolean audio, List<Long> all) {
        DirectPeers direct = DirectPeers.open(bed.browser);
        try {
            direct.start("clock", codec, 0, audio);
            Eventually.await("the direct receiver decodes 60 clock frames", direct::receiverStats,
                    s -> s.at("/pc/inbound/video/framesDecoded").asLong() >= 60, direct::diagnostics);
            direct.drainClockSamples();
            JsonNode before = direct.receiverStats();
            LoadAverage load = LoadAverage.now();
            List<Long> samples = collect(seconds, direct::drainClockSamples);
            JsonNode after = direct.receiverStats();
            all.addAll(samples);
            report("glass-to-glass floor round %d: %s; %s presented, %d unreadable; %s, %dx%d; jitter buffer %.1f ms avg "
                            + "(target %.1f ms, minimum %.1f ms; audio's %.1f ms avg); %s (at start: %s)", round, new Distribution(samples),
                    after.at("/presentedFrames").asLong() - before.at("/presentedFrames").asLong(),
                    after.at("/clockUnreadable").asLong() - before.at("/clockUnreadable").asLong(),
                    after.at("/pc/inbound/video/codec").asText(),
                    after.at("/pc/inbound/video/frameWidth").asInt(), after.at("/pc/inbound/video/frameHeight").asInt(),
                    jitterBufferMillis(before, after, "/pc"), jitterBufferTargetMillis(before, after, "/pc"),
                    perFrame(before, after, "/pc/inbound/video", "jitterBufferMinimumDelay"),
                    perFrame(before, after, "/pc/inbound/audio", "jitterBufferDelay"), LoadAverage.now(), load);
        } finally {
            direct.close();
        }
    }

    /**
     * Clock ages read back over {@code seconds}, drained once a second; prints the median of every 5 s so a trend
     * (a jitter buffer still settling, a burst of load) shows.
     */
    static List<Long> collect(int seconds, Supplier<List<Long>> drain) {
        List<Long> samples = new ArrayList<>();
        List<Long> chunk = new ArrayList<>();
        StringBuilder trend = new StringBuilder();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        int tick = 0;
        while (System.nanoTime() < end) {
            BenchBed.pause(1000);
            chunk.addAll(drain.get());
            if (++tick % 5 == 0) {
                trend.append(' ').append(new Distribution(chunk).percentile(50));
                samples.addAll(chunk);
                chunk.clear();
            }
        }
        chunk.addAll(drain.get());
        samples.addAll(chunk);
        report("  p50 of each 5 s (ms):%s", trend);
        return samples;
    }

    /** Average jitter-buffer delay of the frames emitted between two snapshots. */
    static double jitterBufferMillis(JsonNode before, JsonNode after, String pc) {
        double delay = after.at(pc + "/inbound/video/jitterBufferDelay").asDouble() - before.at(pc + "/inbound/video/jitterBufferDelay").asDouble();
        long count = after.at(pc + "/inbound/video/jitterBufferEmittedCount").asLong() - before.at(pc + "/inbound/video/jitterBufferEmittedCount").asLong();
        return count <= 0 ? Double.NaN : 1000.0 * delay / count;
    }

    static double jitterBufferTargetMillis(JsonNode before, JsonNode after, String pc) {
        return perFrame(before, after, pc + "/inbound/video", "jitterBufferTargetDelay");
    }

    /**
     * A cumulative jitter-buffer delay stat (seconds, summed over emitted frames or samples) as milliseconds per
     * emitted unit between two snapshots; the video minimum delay is what audio/video synchronisation imposes.
     */
    static double perFrame(JsonNode before, JsonNode after, String inbound, String stat) {
        double delay = after.at(inbound + "/" + stat).asDouble() - before.at(inbound + "/" + stat).asDouble();
        long count = after.at(inbound + "/jitterBufferEmittedCount").asLong() - before.at(inbound + "/jitterBufferEmittedCount").asLong();
        return count <= 0 ? Double.NaN : 1000.0 * delay / count;
    }
}
