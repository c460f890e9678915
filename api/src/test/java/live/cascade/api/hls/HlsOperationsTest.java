package live.cascade.api.hls;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.hls.RecordingHealth;
import live.cascade.hls.sync.TimestampCorrection;
import live.cascade.sfu.params.MediaKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static live.cascade.api.TestNode.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HLS and recordings as operators and players see them without a broadcast: {@code /readyz} during a recording that
 * hit a full disk (the tap's side of that is TapPipelineTest, with a real ENOSPC), the tap counters in
 * {@code /metrics}, and the problem documents of a channel that is not live.
 */
class HlsOperationsTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode("--hls-ladder", "source"); // a node that serves live HLS, unlike TestNode's default
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
    }

    @Test
    void aRecordingStoppedByAFullDiskMakesReadinessDegradedUntilThatBroadcastEnds() {
        JsonNode before = node.get("/readyz", null).json();
        assertThat(before.at("/recordings/status").asText()).isEqualTo("ok");
        assertThat(before.at("/recordings/freeBytes").asLong()).isPositive();

        RecordingHealth health = node.server.media().taps().recordingHealth();
        health.started();
        health.failed("fullchan", "recording: No space left on device (-28)", true, Instant.now());
        try {
            TestNode.Response r = node.get("/readyz", null);
            assertThat(r.status()).as("the node still serves: degraded, not down").isEqualTo(200);
            assertThat(r.json().at("/status").asText()).isEqualTo("degraded");
            assertThat(r.json().at("/recordings/status").asText()).isEqualTo("down");
            assertThat(r.json().at("/recordings/diskFull").asBoolean()).isTrue();
            assertThat(r.json().at("/recordings/lastError").asText()).contains("fullchan").contains("No space left");
            assertThat(r.json().at("/recordings/failed").asInt()).isEqualTo(1);
            assertThat(r.json().at("/recordings/reason").asText()).contains("disk is full");
        } finally {
            health.stopped(true);
        }
        JsonNode after = node.get("/readyz", null).json();
        assertThat(after.at("/recordings/status").asText()).isEqualTo("ok");
        assertThat(after.at("/status").asText()).isEqualTo("ok");
    }

    @Test
    void aRecordingThatHadToRecoverIsReportedWhileTheNodeStaysHealthy() {
        RecordingHealth health = node.server.media().taps().recordingHealth();
        int before = node.get("/readyz", null).json().at("/recordings/recovered").asInt();
        health.recovered("recoverchan", 2, "write packet: Invalid argument (-22)", Instant.now());
        JsonNode after = node.get("/readyz", null).json();
        assertThat(after.at("/recordings/recovered").asInt()).isEqualTo(before + 1);
        assertThat(after.at("/recordings/lastRecovery").asText()).contains("recoverchan").contains("part 2").contains("(-22)");
        assertThat(after.at("/recordings/lastRecoveryAt").asText()).isNotEmpty();
        assertThat(after.at("/recordings/status").asText()).as("nothing was lost beyond a moment").isEqualTo("ok");
    }

    @Test
    void metricsCountTapDropsAndTheOtherTapCounters() {
        String text = node.get("/metrics", null).body();
        for (String counter : new String[]{"packets", "queue_dropped_packets", "incomplete_frames", "segments", "ffmpeg_errors",
                "recording_failures", "keyframe_requests", "recording_dropped_packets", "recording_recoveries"}) {
            assertThat(text).containsPattern("cascade_hls_tap_total\\{[^}]*counter=\"" + counter + "\"[^}]*} [0-9.E]+");
        }
        assertThat(text).contains("cascade_hls_taps ").contains("cascade_hls_viewers ");
    }

    @Test
    void metricsCountTimestampCorrectionsPerTrackAndReason() {
        var corrections = node.server.media().taps().metrics().timestampCorrections();
        long before = corrections.count(MediaKind.AUDIO, TimestampCorrection.DUPLICATE);
        corrections.add(MediaKind.AUDIO, TimestampCorrection.DUPLICATE);
        String text = node.get("/metrics", null).body();
        for (String track : new String[]{"audio", "video"}) {
            for (TimestampCorrection r : TimestampCorrection.values()) {
                assertThat(text).containsPattern("cascade_media_timestamp_corrections_total\\{[^}]*reason=\"" + r.label()
                        + "\"[^}]*track=\"" + track + "\"[^}]*} [0-9.E]+");
            }
        }
        assertThat(text).contains("cascade_media_timestamp_corrections_total{reason=\"duplicate\",track=\"audio\"} " + (double) (before + 1));
    }

    @Test
    void aChannelThatIsNotLiveHasNoHlsAndSaysSo() {
        TestNode.Account owner = node.signup("hls_ops_owner");
        node.post("/api/channels", owner.token(), map("slug", "offair", "title", "Off air", "category", "Talk"));
        TestNode.Response master = node.get("/hls/offair/master.m3u8", null);
        assertThat(master.status()).isEqualTo(404);
        assertThat(master.header("Content-Type")).startsWith("application/problem+json");
        assertThat(master.json().at("/detail").asText()).contains("offair").contains("not live");
        assertThat(master.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(node.get("/hls/offair/thumbnail.jpg", null).status()).isEqualTo(404);
        JsonNode channel = node.get("/api/channels/offair", null).json();
        assertThat(channel.has("thumbnailUrl")).as("no thumbnail while off air").isFalse();
    }
}
