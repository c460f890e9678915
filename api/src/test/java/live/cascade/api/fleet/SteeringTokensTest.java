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
}
