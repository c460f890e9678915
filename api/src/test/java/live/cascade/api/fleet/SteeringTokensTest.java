package live.cascade.api.fleet;

import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SteeringTokensTest {
    private final ManualClock clock = new ManualClock();
    private final SteeringTokens tokens = new SteeringTokens("a-node-secret-of-the-deployment-0123456789", clock);

    @Test
    void aTokenAdmitsOncePerChannelAtItsTargetNodeOnly() {
        String token = tokens.issue("node-b", "alice");
        assertThat(tokens.redeem(token, "node-c")).as("another node").isEmpty();
        assertThat(tokens.redeem(token, "node-b")).contains("alice");
        assertThat(tokens.redeem(token, "node-b")).as("single use").isEmpty();
    }

    @Test
    void expiredForgedAndForeignTokensAreRefused() {
        String token = tokens.issue("node-b", "alice");
        clock.advance(SteeringTokens.LIFETIME.plusSeconds(1));
        assertThat(tokens.redeem(token, "node-b")).as("expired").isEmpty();

        String fresh = tokens.issue("node-b", "alice");
        String[] parts = fresh.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("alice", "bobby").getBytes());
        assertThat(tokens.redeem("st1." + forgedPayload + "." + parts[2], "node-b")).as("payload changed").isEmpty();
        assertThat(tokens.redeem("st1.!!.??", "node-b")).isEmpty();
        SteeringTokens otherDeployment = new SteeringTokens("another-deployment-secret-0123456789", clock);
        assertThat(otherDeployment.redeem(fresh, "node-b")).as("another secret").isEmpty();
        assertThat(tokens.redeem(fresh, "node-b")).contains("alice");
    }

    @Test
    void aViewersTokenNeverAdmitsAPublisherNorAPublishersAViewer() {
        SteeringTokens viewers = new SteeringTokens("a-node-secret-of-the-deployment-0123456789", clock, SteeringTokens.Purpose.PLAY);
        String play = viewers.issue("node-b", "alice");
        assertThat(play).startsWith("sv1.");
        assertThat(tokens.redeem(play, "node-b")).as("a viewer's token at WHIP").isEmpty();
        // The same payload and MAC under the publishers' prefix: the keys differ, so it is still refused.
        assertThat(tokens.redeem("st1." + play.substring(4), "node-b")).as("relabelled").isEmpty();
        String publish = tokens.issue("node-b", "alice");
        assertThat(viewers.redeem(publish, "node-b")).as("a publisher's token at WHEP").isEmpty();
        assertThat(viewers.redeem(play, "node-b")).contains("alice");
        assertThat(viewers.redeem(play, "node-b")).as("single use").isEmpty();
    }
}
