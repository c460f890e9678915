package live.cascade.api.whip;

import live.cascade.api.TestNode;
import live.cascade.api.TestNode.Account;
import live.cascade.sfu.dtls.HandshakeSlots;
import live.cascade.sfu.rtp.NtpTime;
import live.cascade.sfu.testkit.client.ClientOptions;
import live.cascade.sfu.testkit.client.OutgoingStream;
import live.cascade.sfu.testkit.client.PacketPublisher;
import live.cascade.sfu.testkit.client.PacketViewer;
import live.cascade.sfu.testkit.client.ReceivedRtcp;
import live.cascade.sfu.testkit.client.ReceivedRtp;
import live.cascade.sfu.testkit.client.SdpAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node on loopback between two packet-level clients of the sfu test kit: a WHIP publisher that sends exactly
 * the RTP the test builds, and a WHEP viewer that decrypts and keeps every packet. HLS and recordings are off, so the
 * synthetic H.264 is only forwarded, never decoded. Untagged: the node runs in process on embedded H2 and the media
 * stays on loopback, a couple of seconds per test.
 */
class PacketLevelWhipWhepTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TestNode node;
    static Account owner;

    @BeforeAll
    static void start() {
        node = new TestNode("--hls-ladder", "off", "--recordings", "false");
        node.signup("packets_admin");
        owner = node.signup("packets_owner");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String channel(String slug) {
        TestNode.Response r = node.post("/api/channels", owner.token(), map("slug", slug, "title", slug, "category", "Test"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/streamKey").asText();
    }

    static PacketPublisher publish(String slug, ClientOptions options) {
        return PacketPublisher.connect(URI.create(node.url("/api/whip")), channel(slug), options);
    }

    static PacketViewer play(String slug) {
        return PacketViewer.connect(URI.create(node.url("/api/whep/" + slug)), ClientOptions.defaults());
    }

    @Test
    void theViewerDecryptsThePublishersH264AndOpusUnderItsOwnSsrcsSequenceNumbersAndPayloadTypes() {
        try (PacketPublisher pub = publish("packets-forward", ClientOptions.defaults())) {
            OutgoingStream video = pub.video();
            OutgoingStream audio = pub.audio();
            List<byte[]> sentVideo = new ArrayList<>(video.h264(90_000, true));
            List<byte[]> sentAudio = new ArrayList<>(List.of(audio.opus(48_000)));
            pub.send(sentVideo);
            pub.send(sentAudio);

            try (PacketViewer viewer = play("packets-forward")) {
                SdpAnswer.Section videoAnswer = viewer.answer().section("video").orElseThrow();
                assertThat(videoAnswer.direction()).isEqualTo("sendonly");
                // The node starts the viewer at the keyframe it cached before the viewer came.
                viewer.awaitCount("video", sentVideo.size());
                for (int i = 1; i <= 5; i++) {
                    List<byte[]> frame = video.h264(90_000 + i * 3000L, false);
                    sentVideo.addAll(frame);
                    pub.send(frame);
                    byte[] opus = audio.opus(48_000 + i * 960L);
                    sentAudio.add(opus);
                    pub.send(opus);
                }

                List<ReceivedRtp> gotVideo = viewer.awaitCount("video", sentVideo.size());
                assertForwarded(sentVideo, gotVideo, viewer.ssrc("video"), videoAnswer.codec().payloadType());
                // Audio may start later than video (the first Opus packet can reach the node before the viewer), so
                // compare the packets the viewer got with the tail of what was sent.
                ReceivedRtp lastAudio = viewer.await("audio", p -> Arrays.equals(p.payload(), payload(sentAudio.getLast())), WAIT);
                List<ReceivedRtp> gotAudio = viewer.received("audio");
                assertThat(lastAudio).isEqualTo(gotAudio.getLast());
                assertForwarded(sentAudio.subList(sentAudio.size() - gotAudio.size(), sentAudio.size()), gotAudio,
                        viewer.ssrc("audio"), viewer.answer().section("audio").orElseThrow().codec().payloadType());
                assertThat(viewer.counts()).containsOnlyKeys(viewer.ssrc("video"), viewer.ssrc("audio"));
                assertThat(viewer.counts().get(viewer.ssrc("video"))).containsExactly(Map.entry(videoAnswer.codec().payloadType(), sentVideo.size()));
                assertThat(viewer.unprotectFailures()).isZero();
                assertThat(viewer.failures()).isEmpty();
                assertThat(pub.failures()).isEmpty();
            }
        }
    }

    @Test
    void aPacketThePublisherHoldsBackIsNackedByTheNodeAndReachesTheViewerOnceResent() {
        try (PacketPublisher pub = publish("packets-nack", ClientOptions.defaults().withAudio(false))) {
            OutgoingStream video = pub.video();
            List<byte[]> keyframe = video.h264(0, true);
            pub.send(keyframe);
            try (PacketViewer viewer = play("packets-nack")) {
                viewer.awaitCount("video", keyframe.size());
                List<byte[]> frames = new ArrayList<>();
                for (int i = 1; i <= 6; i++) frames.addAll(video.h264(i * 3000L, false));
                byte[] lost = frames.get(2);
                int lostSeq = seq(lost);

                pub.send(frames, 0, 1, 3, 4, 5);

                awaitTrue(() -> pub.nacked(video).contains(lostSeq), "the node NACKs " + lostSeq + ", got " + pub.nacked(video));
                ReceivedRtp repaired = viewer.await("video", p -> Arrays.equals(p.payload(), payload(lost)), WAIT);
                List<ReceivedRtp> got = viewer.received("video");
                ReceivedRtp before = got.stream().filter(p -> Arrays.equals(p.payload(), payload(frames.get(1)))).findFirst().orElseThrow();
                assertThat(repaired.seq()).as("the repair keeps its place in the viewer's numbering").isEqualTo((before.seq() + 1) & 0xFFFF);
                assertThat(pub.retransmissions()).isPositive();
                awaitTrue(() -> viewer.missing("video").isEmpty(), "nothing left missing at the viewer: " + viewer.missing("video"));
                assertThat(viewer.failures()).isEmpty();
                assertThat(pub.failures()).isEmpty();
            }
        }
    }

    @Test
    void reorderedPacketsAreForwardedInArrivalOrderAndDuplicatesOnlyOnce() {
        try (PacketPublisher pub = publish("packets-reorder", ClientOptions.defaults().withAudio(false))) {
            OutgoingStream video = pub.video();
            List<byte[]> keyframe = video.h264(0, true);
            pub.send(keyframe);
            try (PacketViewer viewer = play("packets-reorder")) {
                viewer.awaitCount("video", keyframe.size());
                List<byte[]> frames = new ArrayList<>();
                for (int i = 1; i <= 5; i++) frames.addAll(video.h264(i * 3000L, false));

                pub.send(frames, 1, 0, 0, 2, 3, 3, 2);
                // The last frame goes after every duplicate: once it is in, anything else would have come before it.
                pub.send(frames, 4);
                viewer.await("video", p -> Arrays.equals(p.payload(), payload(frames.get(4))), WAIT);

                List<ReceivedRtp> got = viewer.received("video");
                List<ReceivedRtp> after = got.subList(keyframe.size(), got.size());
                List<byte[]> expected = List.of(frames.get(1), frames.get(0), frames.get(2), frames.get(3), frames.get(4));
                assertThat(after).hasSize(expected.size());
                int seqOffset = (got.getFirst().seq() - seq(keyframe.getFirst())) & 0xFFFF;
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(after.get(i).payload()).as("arrival %d", i).isEqualTo(payload(expected.get(i)));
                    assertThat(after.get(i).seq()).isEqualTo((seq(expected.get(i)) + seqOffset) & 0xFFFF);
                }
                assertThat(viewer.missing("video")).isEmpty();
            }
        }
    }

    @Test
    void thePublishersSenderReportSetsTheRtpTimeOfTheViewersSenderReports() {
        try (PacketPublisher pub = publish("packets-sync", ClientOptions.defaults().withAudio(false))) {
            OutgoingStream video = pub.video();
            List<byte[]> keyframe = video.h264(900_000, true);
            pub.send(keyframe);
            try (PacketViewer viewer = play("packets-sync")) {
                List<ReceivedRtp> got = viewer.awaitCount("video", keyframe.size());
                long tsOffset = (got.getFirst().timestamp() - 900_000) & 0xFFFF_FFFFL;
                // The publisher's wall clock is its own business (here: 2020); its RTP clock reads 5 s past the
                // packets it sent, which the node can only know from this report.
                long sentAtNanos = epochNanosNow();
                long publisherNtp = NtpTime.fromEpochNanos(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli() * 1_000_000L);
                pub.sendSenderReport(video, publisherNtp, 900_000 + 450_000, keyframe.size(), 0);

                long viewerSsrc = viewer.ssrc("video");
                long after = sentAtNanos + 500_000_000L;
                ReceivedRtcp.SenderReport sr = awaitValue(() -> viewer.rtcp().stream()
                        .filter(r -> r instanceof ReceivedRtcp.SenderReport x && x.ssrc() == viewerSsrc
                                && NtpTime.toEpochNanos(x.ntp()) > after)
                        .map(r -> (ReceivedRtcp.SenderReport) r).findFirst().orElse(null), "a viewer SR after ours");

                long elapsedTicks = (NtpTime.toEpochNanos(sr.ntp()) - sentAtNanos) * 90 / 1_000_000;
                long expected = (tsOffset + 900_000 + 450_000 + elapsedTicks) & 0xFFFF_FFFFL;
                // Half a second of slack for a loaded machine; without the publisher's report the node would be 5 s off.
                long error = ((sr.rtpTimestamp() - expected + 0x8000_0000L) & 0xFFFF_FFFFL) - 0x8000_0000L;
                assertThat(Math.abs(error)).as("viewer SR RTP time vs the publisher's mapping, in 90 kHz ticks").isLessThan(45_000);
            }
        }
    }

    @Test
    void deleteEndsThePublisherAndTheViewerSessions() throws Exception {
        // The node as DTLS client, as with FFmpeg, so the other role of the client is exercised too.
        try (PacketPublisher pub = publish("packets-delete", ClientOptions.defaults().withNodeAsDtlsClient(true))) {
            List<byte[]> keyframe = pub.video().h264(0, true);
            pub.send(keyframe);
            PacketViewer viewer = play("packets-delete");
            try (viewer) {
                viewer.awaitCount("video", keyframe.size());
                int sessions = node.server.media().broadcasts().sessionCount();
                assertThat(viewer.delete()).isEqualTo(200);
                assertThat(node.server.media().broadcasts().sessionCount()).isEqualTo(sessions - 1);
            }
            assertThat(pub.delete()).isEqualTo(200);
            assertThat(node.server.media().broadcasts().sessionCount()).isZero();
            assertThat(status("DELETE", viewer.session())).isEqualTo(404);
            assertThat(pub.failures()).isEmpty();
        }
    }

    @Test
    void bothRolesHandshakeInTheNodesSlotsAndMetricsShowTheirQueue() {
        HandshakeSlots slots = node.server.media().engine().handshakeSlots();
        try (PacketPublisher pub = publish("packets-slots", ClientOptions.defaults().withNodeAsDtlsClient(true))) {
            List<byte[]> keyframe = pub.video().h264(0, true);
            pub.send(keyframe);
            try (PacketViewer viewer = play("packets-slots")) {
                viewer.awaitCount("video", keyframe.size());
            }
        }
        String metrics = node.get("/metrics", null).body();
        int expected = 4 * Runtime.getRuntime().availableProcessors();
        assertThat(slots.slots()).as("four per processor").isEqualTo(expected);
        assertThat(metrics).contains("cascade_dtls_handshake_slots " + (double) expected)
                .contains("cascade_dtls_handshakes_waiting 0.0")
                .contains("cascade_dtls_handshake_slots_held 0.0")
                .contains("cascade_dtls_handshake_wait_seconds_total");
        assertThat(slots.busy()).as("every handshake gave its slot back").isZero();
    }

    private static void assertForwarded(List<byte[]> sent, List<ReceivedRtp> got, long ssrc, int payloadType) {
        assertThat(got).hasSameSizeAs(sent);
        int seqOffset = (got.getFirst().seq() - seq(sent.getFirst())) & 0xFFFF;
        long tsOffset = (got.getFirst().timestamp() - timestamp(sent.getFirst())) & 0xFFFF_FFFFL;
        for (int i = 0; i < sent.size(); i++) {
            ReceivedRtp p = got.get(i);
            assertThat(p.payload()).as("payload of packet %d", i).isEqualTo(payload(sent.get(i)));
            assertThat(p.ssrc()).isEqualTo(ssrc);
            assertThat(p.payloadType()).isEqualTo(payloadType);
            assertThat(p.seq()).as("sequence number of packet %d", i).isEqualTo((seq(sent.get(i)) + seqOffset) & 0xFFFF);
            assertThat(p.timestamp()).isEqualTo((timestamp(sent.get(i)) + tsOffset) & 0xFFFF_FFFFL);
            assertThat(p.marker()).isEqualTo((sent.get(i)[1] & 0x80) != 0);
        }
    }

    private static byte[] payload(byte[] rtp) {
        return ReceivedRtp.parse(rtp, 0).payload();
    }

    /**
     * A node with two media workers and viewers spread over them: the first two viewers of a channel
     * land on different workers (their answers' candidates name different ports), one of them not the publisher's,
     * and both get every packet, including one the publisher held back and resent after the node's NACK.
     */
    @Test
    void viewersOnBothWorkersEachGetEveryPacketOfOnePublisherAndItsRepairs() {
        TestNode two = new TestNode("--hls-ladder", "off", "--recordings", "false", "--media-workers", "2",
                "--spread-viewers", "on");
        try {
            two.signup("spread_admin");
            TestNode.Account spreadOwner = two.signup("spread_owner");
            TestNode.Response r = two.post("/api/channels", spreadOwner.token(), map("slug", "spread", "title", "spread", "category", "Test"));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            try (PacketPublisher pub = PacketPublisher.connect(URI.create(two.url("/api/whip")), r.json().at("/streamKey").asText(),
                    ClientOptions.defaults().withAudio(false))) {
                OutgoingStream video = pub.video();
                List<byte[]> keyframe = video.h264(0, true);
                pub.send(keyframe);
                try (PacketViewer first = PacketViewer.connect(URI.create(two.url("/api/whep/spread")), ClientOptions.defaults());
                     PacketViewer second = PacketViewer.connect(URI.create(two.url("/api/whep/spread")), ClientOptions.defaults())) {
                    assertThat(first.answer().candidates().getFirst().getPort())
                            .as("placed on different workers").isNotEqualTo(second.answer().candidates().getFirst().getPort());
                    first.awaitCount("video", keyframe.size());
                    second.awaitCount("video", keyframe.size());
                    List<byte[]> frames = new ArrayList<>();
                    for (int i = 1; i <= 40; i++) frames.addAll(video.h264(i * 3000L, false));
                    byte[] held = frames.get(7);
                    int[] order = new int[frames.size() - 1];
                    for (int i = 0, k = 0; i < frames.size(); i++) if (i != 7) order[k++] = i;
                    pub.send(frames, order);
                    awaitTrue(() -> pub.nacked(video).contains(seq(held)), "the node NACKs the held-back packet");
                    for (PacketViewer v : List.of(first, second)) {
                        v.await("video", p -> Arrays.equals(p.payload(), payload(held)), WAIT);
                        List<ReceivedRtp> got = v.awaitCount("video", keyframe.size() + frames.size());
                        for (byte[] f : frames) {
                            assertThat(got.stream().filter(p -> Arrays.equals(p.payload(), payload(f))).count())
                                    .as("every packet").isPositive();
                        }
                        awaitTrue(() -> v.missing("video").isEmpty(), "nothing missing: " + v.missing("video"));
                        assertThat(v.failures()).isEmpty();
                    }
                }
            }
        } finally {
            two.close();
        }
    }

    private static int seq(byte[] rtp) {
        return ReceivedRtp.parse(rtp, 0).seq();
    }

    private static long timestamp(byte[] rtp) {
        return ReceivedRtp.parse(rtp, 0).timestamp();
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static long epochNanosNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static <T> T awaitValue(Supplier<T> value, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T v;
        while ((v = value.get()) == null) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return v;
    }

    private static int status(String method, URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
