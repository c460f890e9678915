package live.cascade.bench.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.media.DirectPeers;
import live.cascade.api.media.Eventually;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.api.media.Publisher;
import live.cascade.api.media.Viewer;
import live.cascade.bench.load.ViewerFleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static live.cascade.bench.media.BenchBed.report;

/**
 * Issue 16's acceptance run: does a publisher through the node keep up with the same pages connected directly, round
 * after round? A Chromium page publishes its 640×360 canvas clock and fake microphone; through the node another page
 * plays it over WHEP, on the floor the same two pages are one RTCPeerConnection to the other. Node and floor rounds
 * alternate so both see the same machine. Per round: the publisher's send rate around {@code --at} seconds after
 * {@code connected} (the "after 8 s"), its estimate, and the glass-to-glass p50/p95 the viewer read back from
 * the canvas over the round. A node round passes when its send rate is at least 90 % of the floor round's next to it
 * and its glass-to-glass p50 at most 5 ms above the floor's. Each round also gives the p50 of the clock's age when a
 * frame's last packet arrived at the viewer ("at arrival": the path itself, to the millisecond, where each
 * glass-to-glass sample is rounded up to the viewer's next 16.7 ms display frame; the clock's random redraw spreads a
 * round's samples over those steps), the viewer's jitter buffer and the keyframes it got.
 *
 * <p>{@code --source=camera_clock} (the default) draws the clock over a still, detailed picture under faint grain, as
 * a camera on a tripod gives an encoder: it spends its whole target, and sends keyframes only when asked.
 * {@code --source=busy_clock} (sessions 9–17) draws a new random texture every frame, which OpenH264 takes for a scene
 * change and answers with a keyframe about every 0.6 s on both paths. {@code --histogram=true} prints each round's
 * glass-to-glass and at-arrival figures per millisecond.
 *
 * <p>{@code --hog=2} runs that many busy-looping processes at normal priority for the whole run (the "CPU hog
 * on both cores"). {@code --viewers=200} attaches that many load-tool viewers ({@code load.ViewerFleet}: real ICE,
 * DTLS, SRTP and RTCP per viewer, joined at 50 a second) to each node round's channel once its publisher is connected,
 * and measures the round after they have joined (the "with 200 WHEP viewers attached"); with
 * {@code --load-auth-every=10} they authenticate one packet in ten, as in capacity runs, so the tool's own CPU weighs
 * less on the shared cores. {@code --background-viewers=200} instead keeps a second channel with that many viewers
 * running through node and floor rounds alike (see {@link Backdrop}). The node runs the
 * product's default ladder unless {@code --node} says otherwise. {@code --floor-vs-floor=true} calibrates the criterion:
 * every round's "node" side is a second page-to-page round, so what passes is what two identical paths score.
 *
 * <p>Each node round also prints the node's forward delay over the round, from its own
 * {@code cascade_media_forward_delay_seconds} histogram ({@link NodeForwardDelays}). With {@code FRAME_LOG=<file>} in
 * the environment every frame the viewer read is appended to the file; {@code bench/tools/frame-path.py} matches them
 * to a packet capture of the run and splits each round's age at arrival by hop.
 *
 * <p>Run: {@code bench/run PublisherStallBenchmark --rounds=20}, {@code bench/run PublisherStallBenchmark --rounds=20 --hog=2}
 * and {@code bench/run PublisherStallBenchmark --rounds=20 --viewers=200}
 */
public final class PublisherStallBenchmark {
    private PublisherStallBenchmark() {}

    private static final long SAMPLE_MILLIS = 250;

    /** What one round measured. */
    record Round(long sentBps, long estimateBps, double estimateReachedAt, Distribution glassToGlass, Distribution arrival,
                 Delays delays, List<String> trace) {
        /** Issue 16's stall: the sender's estimate never reached {@link PublisherBitrateBenchmark#STALL_THRESHOLD_BPS}. */
        boolean stalled() {
            return estimateReachedAt < 0;
        }

        String reached() {
            return stalled() ? "never" : String.format("%.2f s", estimateReachedAt);
        }

        /**
         * A ramp the floor never shows (its estimate passes 1.5 Mbit/s within 0.6 s in every round so far): not a stall,
         * but near the 5 s the end-to-end test allows. Session 19 traced such rounds to a rejected start-up probe (early
         * SRTP fed back with its decrypt time, fixed); the trace is printed so any other cause comes with evidence.
         */
        boolean slowRamp() {
            return estimateReachedAt > SLOW_RAMP_SECONDS;
        }
    }

    /** A node round whose estimate passes 1.5 Mbit/s later than this has its trace printed, as a stalled one has. */
    static final double SLOW_RAMP_SECONDS = 2.0;

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int rounds = args.integer("rounds", 20);
        int seconds = args.integer("seconds", 12);
        double at = args.decimal("at", 8);
        int hogs = args.integer("hog", 0);
        int loadViewers = args.integer("viewers", 0);
        int backgroundViewers = args.integer("background-viewers", 0);
        // Each load viewer authenticates one RTP packet in this many (1: all).
        int loadAuthEvery = args.integer("load-auth-every", 1);
        boolean audio = args.bool("audio", true);
        boolean floorVsFloor = args.bool("floor-vs-floor", false);
        Publisher.Source source = Publisher.Source.valueOf(args.text("source", "camera_clock").toUpperCase());
        boolean histograms = args.bool("histogram", false);
        List<Process> hog = startHog(hogs);
        try (BenchBed bed = BenchBed.start(args); Backdrop backdrop = Backdrop.start(bed, backgroundViewers, loadAuthEvery)) {
            report("publisher stall: Chromium %s, source %s, %d rounds of %d s per path, send rate at %.0f s, %d hog process(es), %d load viewers per node round, %s; %s",
                    bed.browser.version(), source.name().toLowerCase(), rounds, seconds, at, hogs, loadViewers, backdrop, LoadAverage.now());
            int passed = 0;
            int stalled = 0;
            List<Long> latencyDifferences = new ArrayList<>();
            List<Long> arrivalDifferences = new ArrayList<>();
            String[] codec = new String[1];
            if (floorVsFloor) {
                // The calibration: each round's "node" is a second floor round, so the pass rate is what the criterion
                // gives two identical paths on this machine. One node round first (not counted) learns the codec.
                nodeRound(bed, source, seconds, at, codec, 0, 1, audio);
                report("publisher stall: --floor-vs-floor: every round compares two page-to-page rounds (%s)", codec[0]);
            }
            for (int round = 1; round <= rounds; round++) {
                LoadAverage load = LoadAverage.now();
                Round node = floorVsFloor ? floorRound(bed, source, seconds, at, codec[0], audio)
                        : nodeRound(bed, source, seconds, at, codec, loadViewers, loadAuthEvery, audio);
                // The floor uses the codec the node's path negotiated, so the two rounds encode alike.
                Round floor = floorRound(bed, source, seconds, at, codec[0], audio);
                boolean rateOk = node.sentBps() >= floor.sentBps() * 9 / 10;
                boolean latencyOk = node.glassToGlass().percentile(50) <= floor.glassToGlass().percentile(50) + 5;
                if (rateOk && latencyOk) passed++;
                latencyDifferences.add(node.glassToGlass().percentile(50) - floor.glassToGlass().percentile(50));
                arrivalDifferences.add(node.arrival().percentile(50) - floor.arrival().percentile(50));
                if (node.stalled()) stalled++;
                report("publisher stall RESULT round %d: %s; node sent %d kbit/s (estimate %d, past 1.5 Mbit/s at %s), floor %d kbit/s (estimate %d, at %s), %.0f %%; "
                                + "glass-to-glass node p50 %d / p95 %d ms (at arrival p50 %d), floor p50 %d / p95 %d ms (at arrival p50 %d); %s (at start: %s)",
                        round, rateOk && latencyOk ? "PASS" : "FAIL" + (rateOk ? "" : " (rate)") + (latencyOk ? "" : " (latency)"),
                        node.sentBps() / 1000, node.estimateBps() / 1000, node.reached(), floor.sentBps() / 1000, floor.estimateBps() / 1000,
                        floor.reached(),
                        floor.sentBps() == 0 ? 0.0 : 100.0 * node.sentBps() / floor.sentBps(),
                        node.glassToGlass().percentile(50), node.glassToGlass().percentile(95), node.arrival().percentile(50),
                        floor.glassToGlass().percentile(50), floor.glassToGlass().percentile(95),
                        floor.arrival().percentile(50), LoadAverage.now(), load);
                report("publisher stall round %d delays: node %s; floor %s", round, node.delays(), floor.delays());
                if (histograms) {
                    report("publisher stall round %d glass-to-glass ms:frames: node %s; floor %s", round, node.glassToGlass().histogram(),
                            floor.glassToGlass().histogram());
                    report("publisher stall round %d at arrival ms:frames: node %s; floor %s", round, node.arrival().histogram(),
                            floor.arrival().histogram());
                }
                if (node.stalled() || node.slowRamp() || System.getenv("STALL_TRACE") != null) {
                    for (String line : node.trace()) report("publisher stall round %d node trace %s", round, line);
                }
            }
            report("publisher stall RESULT %d of %d node rounds kept up with the floor (send rate >= 90 %%, glass-to-glass p50 <= floor + 5 ms); "
                    + "%d stalled (estimate never past 1.5 Mbit/s); %d hog process(es), %d load viewers", passed, rounds, stalled, hogs, loadViewers);
            report("publisher stall RESULT node - floor, median of the rounds: glass-to-glass p50 %+d ms, at arrival p50 %+d ms",
                    new Distribution(latencyDifferences).percentile(50), new Distribution(arrivalDifferences).percentile(50));
        } finally {
            hog.forEach(Process::destroy);
        }
    }

    /**
     * {@code codec}: out, the video codec the viewer received (its mimeType). With {@code loadViewers}, the round is
     * measured from when they have joined rather than from connect, so the send rate at {@code --at} seconds and the
     * glass-to-glass figures are the publisher's with them attached.
     */
    private static Round nodeRound(BenchBed bed, Publisher.Source source, int seconds, double at, String[] codec, int loadViewers, int loadAuthEvery,
                                   boolean audio) {
        Channel channel = bed.media.createChannel("stall");
        Publisher publisher = Publisher.open(bed.browser);
        Viewer viewer = Viewer.open(bed.browser);
        ViewerFleet fleet = null;
        try {
            publisher.publish(channel.whipUrl(), channel.streamKey(), source);
            JsonNode connected = Eventually.await("the publisher is connected", publisher::stats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()), publisher::diagnostics);
            if (loadViewers > 0) {
                fleet = new ViewerFleet(URI.create(channel.whepUrl()), new InetSocketAddress("127.0.0.1", 0), 2, loadAuthEvery);
                fleet.growTo(loadViewers, 50);
                fleet.awaitJoined(Duration.ofSeconds(30));
                report("publisher stall: %d of %d load viewers decrypting video; %s", fleet.joined(), loadViewers, LoadAverage.now());
                connected = publisher.stats();
            }
            NodeForwardDelays delaysBefore = NodeForwardDelays.parse(bed.media.node.get("/metrics", null).body());
            viewer.play(channel.whepUrl(), true, Map.of("audio", audio));
            String health = "/api/channels/" + channel.slug() + "/stream/health";
            Round r = measure(publisher::stats, viewer::stats, viewer::drainClockSamples, viewer::drainTransitSamples, connected, seconds, at,
                    () -> bed.media.node.get(health, channel.ownerToken()).json().at("/feedback"));
            codec[0] = viewer.stats().at("/pc/inbound/video/codec").asText(null);
            writeFrameLog("node", viewer.drainFrameLog());
            report("publisher stall: %s", NodeForwardDelays.parse(bed.media.node.get("/metrics", null).body()).since(delaysBefore));
            viewer.stop();
            if (fleet != null) fleet.leaveAll();
            publisher.stop();
            return r;
        } finally {
            if (fleet != null) fleet.close();
            viewer.close();
            publisher.close();
        }
    }

    private static Round floorRound(BenchBed bed, Publisher.Source source, int seconds, double at, String codec, boolean audio) {
        DirectPeers direct = DirectPeers.open(bed.browser);
        try {
            direct.start(source.name().toLowerCase(), codec, 0, audio);
            JsonNode connected = Eventually.await("the direct peers are connected", direct::senderStats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()), direct::diagnostics);
            Round r = measure(direct::senderStats, direct::receiverStats, direct::drainClockSamples, direct::drainTransitSamples, connected, seconds, at, null);
            writeFrameLog("floor", direct.drainFrameLog());
            return r;
        } finally {
            direct.close();
        }
    }

    /**
     * {@code --background-viewers=N}: a second channel on the node, published by its own Chromium page, with N load-tool
     * viewers, running through every round of both kinds. The node's one media worker fans that stream out while it
     * serves the measured publisher, and the machine carries the same extra load in node and floor rounds alike (with
     * {@code --viewers} it does only in node rounds, which the receiving page's jitter buffer shows).
     */
    private record Backdrop(Publisher publisher, ViewerFleet fleet, int wanted) implements AutoCloseable {
        static Backdrop start(BenchBed bed, int viewers, int authEvery) {
            if (viewers <= 0) return new Backdrop(null, null, 0);
            Channel channel = bed.media.createChannel("backdrop");
            Publisher publisher = Publisher.open(bed.browser);
            publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.BUSY_CLOCK);
            Eventually.await("the background publisher is connected", publisher::stats,
                    s -> "connected".equals(s.at("/pc/connectionState").asText()), publisher::diagnostics);
            ViewerFleet fleet = new ViewerFleet(URI.create(channel.whepUrl()), new InetSocketAddress("127.0.0.1", 0), 2, authEvery);
            fleet.growTo(viewers, 50);
            fleet.awaitJoined(Duration.ofSeconds(60));
            return new Backdrop(publisher, fleet, viewers);
        }

        @Override
        public String toString() {
            return fleet == null ? "no background channel"
                    : "a background channel with " + fleet.joined() + " of " + wanted + " load viewers decrypting";
        }

        @Override
        public void close() {
            if (fleet == null) return;
            fleet.leaveAll();
            fleet.close();
            publisher.stop();
            publisher.close();
        }
    }

    /**
     * Samples the sender every 250 ms from {@code connected} for {@code seconds}; the send rate is taken over the
     * second around {@code at}; glass-to-glass is every clock frame the viewer presented in the round.
     */
    private static Round measure(Supplier<JsonNode> sender, Supplier<JsonNode> receiver, Supplier<List<Long>> clock,
                                 Supplier<List<Long>> transit,
                                 JsonNode connected, int seconds, double at, Supplier<JsonNode> nodeFeedback) {
        List<String> trace = new ArrayList<>();
        JsonNode receiverFirst = null;
        long t0 = connected.at("/takenAt").asLong();
        long fromMs = (long) ((at - 0.5) * 1000);
        long toMs = (long) ((at + 0.5) * 1000);
        JsonNode from = null;
        JsonNode to = null;
        List<Long> samples = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        JsonNode now = connected;
        double reachedAt = -1;
        while (now.at("/takenAt").asLong() - t0 < seconds * 1000L) {
            BenchBed.pause(SAMPLE_MILLIS);
            now = sender.get();
            samples.addAll(clock.get());
            arrivals.addAll(transit.get());
            if (receiverFirst == null && now.at("/takenAt").asLong() - t0 >= 2000) receiverFirst = receiver.get();
            long ms = now.at("/takenAt").asLong() - t0;
            if (reachedAt < 0 && now.at("/pc/selectedPair/availableOutgoingBitrate").asLong() >= PublisherBitrateBenchmark.STALL_THRESHOLD_BPS) {
                reachedAt = ms / 1000.0;
            }
            trace.add(traceLine(ms, now, nodeFeedback));
            if (from == null && ms >= fromMs) from = now;
            if (to == null && ms >= toMs) to = now;
        }
        if (from == null || to == null) throw new IllegalStateException("the round ended before " + at + " s; raise --seconds");
        long ms = to.at("/takenAt").asLong() - from.at("/takenAt").asLong();
        long bytes = to.at("/pc/outbound/video/bytesSent").asLong() - from.at("/pc/outbound/video/bytesSent").asLong();
        return new Round(ms <= 0 ? 0 : bytes * 8000 / ms, to.at("/pc/selectedPair/availableOutgoingBitrate").asLong(), reachedAt,
                new Distribution(samples), new Distribution(arrivals), Delays.between(connected, now, receiverFirst, receiver.get()), trace);
    }

    /**
     * One sample of what the publisher saw (its estimate, encoder target, send rate so far, the loss and RTT the
     * node's receiver reports gave it, why its encoder is limited) and, for a node round, what the node says its
     * feedback told it: printed for a stalled round, the evidence the issue asks for.
     */
    private static String traceLine(long ms, JsonNode s, Supplier<JsonNode> nodeFeedback) {
        String node = "";
        if (nodeFeedback != null) {
            try {
                node = " node " + nodeFeedback.get();
            } catch (RuntimeException e) {
                node = " node ?(" + e.getMessage() + ")";
            }
        }
        return String.format("%6d ms estimate %s target %s sent %s B loss %s lost %s rtt %s limited %s%s", ms,
                s.at("/pc/selectedPair/availableOutgoingBitrate").asText("-"),
                s.at("/pc/outbound/video/targetBitrate").asText("-"),
                s.at("/pc/outbound/video/bytesSent").asText("-"),
                s.at("/pc/remoteInbound/video/fractionLost").asText("-"),
                s.at("/pc/remoteInbound/video/packetsLost").asText("-"),
                s.at("/pc/remoteInbound/video/roundTripTime").asText("-"),
                s.at("/pc/outbound/video/qualityLimitationReason").asText("-"), node);
    }

    /**
     * Where a round's glass-to-glass went, from getStats: the publisher's pacer (outbound video
     * {@code totalPacketSendDelay} per packet over the round) and the viewer's jitter buffer (its
     * {@code jitterBufferDelay} per emitted frame from 2 s into the round, and its target at the end), in ms. The
     * rest of glass-to-glass is capture, encode, the network path (the node, for a node round), decode and render.
     */
    record Delays(double publisherPacerMs, double jitterBufferMs, double jitterTargetMs, double jitterMinimumMs,
                  long viewerNacks, long viewerLost, long viewerKeyframes, double audioBufferMs, double audioTargetMs,
                  double audioMinimumMs, double audioJitterMs) {
        static Delays between(JsonNode sentFrom, JsonNode sentTo, JsonNode receivedFrom, JsonNode receivedTo) {
            double pacer = perItem(sentFrom, sentTo, "/pc/outbound/video/totalPacketSendDelay", "/pc/outbound/video/packetsSent");
            // The minimum is what the network's jitter alone asks for; a target above it is audio/video sync's wait
            // (or a playout delay), which is how a skew in the sender reports would show.
            // The viewer's audio: its jitter buffer is what audio/video sync holds video back to, so an audio path
            // more jittery than the floor's shows here first (per emitted sample; the RTP jitter at the round's end).
            // Chromium's jitter estimate adds the round-trip time once a receiver has NACKed three times (for a
            // minute): a viewer's NACKs are part of where its delay comes from.
            return new Delays(pacer, buffered(receivedFrom, receivedTo, "video"),
                    averaged(receivedTo, "video", "jitterBufferTargetDelay"), averaged(receivedTo, "video", "jitterBufferMinimumDelay"),
                    receivedTo.at("/pc/inbound/video/nackCount").asLong(-1), receivedTo.at("/pc/inbound/video/packetsLost").asLong(-1),
                    receivedTo.at("/pc/inbound/video/keyFramesDecoded").asLong(-1), buffered(receivedFrom, receivedTo, "audio"),
                    averaged(receivedTo, "audio", "jitterBufferTargetDelay"), averaged(receivedTo, "audio", "jitterBufferMinimumDelay"),
                    receivedTo.at("/pc/inbound/audio/jitter").asDouble(Double.NaN) * 1000);
        }

        /** The {@code kind} jitter buffer's delay per item it emitted between the two stats, ms. */
        private static double buffered(JsonNode from, JsonNode to, String kind) {
            return from == null ? Double.NaN
                    : perItem(from, to, "/pc/inbound/" + kind + "/jitterBufferDelay", "/pc/inbound/" + kind + "/jitterBufferEmittedCount");
        }

        /** A cumulative jitter-buffer delay of {@code kind} ({@code field}, seconds) per item emitted so far, ms. */
        private static double averaged(JsonNode to, String kind, String field) {
            return to.at("/pc/inbound/" + kind + "/" + field).asDouble(Double.NaN) * 1000
                    / Math.max(1, to.at("/pc/inbound/" + kind + "/jitterBufferEmittedCount").asLong());
        }

        private static double perItem(JsonNode from, JsonNode to, String seconds, String count) {
            long n = to.at(count).asLong() - from.at(count).asLong();
            return n <= 0 ? Double.NaN : (to.at(seconds).asDouble() - from.at(seconds).asDouble()) * 1000 / n;
        }

        @Override
        public String toString() {
            return String.format("publisher pacer %.1f ms/packet, viewer jitter buffer %.1f ms/frame (target %.1f, minimum %.1f),"
                            + " viewer NACKs %d, lost %d, keyframes %d, viewer audio jitter buffer %.1f ms (target %.1f, minimum %.1f, RTP jitter %.1f ms)",
                    publisherPacerMs, jitterBufferMs, jitterTargetMs, jitterMinimumMs, viewerNacks, viewerLost, viewerKeyframes,
                    audioBufferMs, audioTargetMs, audioMinimumMs, audioJitterMs);
        }
    }

    /**
     * With {@code FRAME_LOG=<file>} in the environment, appends each frame the viewer read this round as
     * {@code <path> <rtpTimestamp> <receive epoch ms> <transit ms>}: matched to a packet capture by RTP timestamp, it
     * splits a frame's age at arrival into the publisher's share, the node's hop and the viewer's receive path.
     */
    private static void writeFrameLog(String path, JsonNode frames) {
        String file = System.getenv("FRAME_LOG");
        if (file == null) return;
        StringBuilder out = new StringBuilder();
        for (JsonNode f : frames) out.append(path).append(' ').append(f.get(0).asLong()).append(' ').append(f.get(1).asText()).append(' ').append(f.get(2).asText()).append('\n');
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(file), out, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Busy loops in their own processes at normal priority, so they compete with the node and Chromium as a neighbour would. */
    private static List<Process> startHog(int count) {
        List<Process> out = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) out.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        } catch (IOException e) {
            out.forEach(Process::destroy);
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
