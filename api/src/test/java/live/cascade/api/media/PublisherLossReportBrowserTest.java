package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.harness.NodeWithBrowser;
import live.cascade.api.media.MediaNode.Channel;
import live.cascade.sfu.routing.IngestStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 16, the other side of the fix: reporting arrivals better must not hide loss. A relay drops 2 % of the
 * publisher's packets on the way to the node (seeded); the transport-cc feedback the node sends must report that share
 * as lost, within half a percentage point of what the relay actually dropped, and the publisher's estimate still
 * passes 1.5 Mbit/s (Chromium's loss-based controller tolerates a steady 2 %).
 */
@Tag("integration")
@Timeout(120)
class PublisherLossReportBrowserTest {
    private static final double LOSS = 0.02;
    private static final int SECONDS = 20;

    @RegisterExtension
    static final NodeWithBrowser bed = NodeWithBrowser.with();

    @Test
    void theFeedbackReportsTheTwoPercentTheRelayDropped() {
        MediaNode media = bed.media();
        Channel channel = media.createChannel("lossy-ramp");
        try (LossyUdpRelay relay = LossyUdpRelay.inFrontOf(media, 0, 0, 20261204L, Duration.ofSeconds(100))) {
            Publisher publisher = Publisher.open(bed.chromium());
            try {
                publisher.publish(channel.whipUrl(), channel.streamKey(), Publisher.Source.NOISE,
                        Map.of("maxBitrate", 2_500_000.0, "relay", relay.pageTarget()));
                Eventually.await("the publisher is connected through the relay", publisher::stats,
                        s -> "connected".equals(s.at("/pc/connectionState").asText()), publisher::diagnostics);
                IngestStats.Feedback before = feedback(media, channel);
                long upBefore = relay.upPackets.get();
                long droppedBefore = relay.upDropped.get();
                relay.setLoss(LOSS, 0);
                pause(SECONDS * 1000L);
                relay.setLoss(0, 0);
                pause(1000); // the feedback of the last lossy packets goes out
                IngestStats.Feedback after = feedback(media, channel);
                JsonNode stats = publisher.stats();

                long reported = after.packetsReported() - before.packetsReported();
                long lost = after.packetsReportedLost() - before.packetsReportedLost();
                long up = relay.upPackets.get() - upBefore;
                long dropped = relay.upDropped.get() - droppedBefore;
                double reportedShare = (double) lost / reported;
                double droppedShare = (double) dropped / up;
                System.out.printf("[media] 2%% loss to the node: relay dropped %d of %d (%.2f %%), feedback reported %d of %d lost"
                                + " (%.2f %%), %d late; publisher estimate %d kbit/s, limitation %s%n", dropped, up,
                        100 * droppedShare, lost, reported, 100 * reportedShare, after.latePackets() - before.latePackets(),
                        stats.at("/pc/selectedPair/availableOutgoingBitrate").asLong() / 1000,
                        stats.at("/pc/outbound/video/qualityLimitationReason").asText());
                assertThat(reported).as("packets the feedback covered").isGreaterThan(2_000);
                assertThat(reportedShare).as("reported loss against what the relay dropped").isCloseTo(droppedShare, within(0.005));
                // Not against 2 % itself: the relay's seeded draw over ~8,000 packets is itself ±0.3 points (one run
                // dropped 1.52 %); what it really dropped is the truth the feedback must match.
                assertThat(droppedShare).as("the relay dropped about 2 %%").isBetween(0.01, 0.03);
                assertThat(stats.at("/pc/selectedPair/availableOutgoingBitrate").asLong())
                        .as("the publisher still settles near the loopback path's capacity, above its 2.5 Mbit/s cap")
                        .isGreaterThanOrEqualTo(1_500_000);
                publisher.stop();
            } finally {
                publisher.close();
            }
        }
    }

    private static IngestStats.Feedback feedback(MediaNode media, Channel channel) {
        return media.node.server.media().broadcasts().ingestStats(channel.id()).orElseThrow().feedback();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
