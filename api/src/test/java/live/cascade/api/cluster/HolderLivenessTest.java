package live.cascade.api.cluster;

import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liveness of a claim's holder with real sockets on loopback: a listener that never accepts (as a paused process's
 * kernel still completes handshakes) is alive; a port nobody listens on any more (the process exited) is gone; a
 * node not in the registry is gone without a probe.
 */
class HolderLivenessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aListenerThatNeverAcceptsIsAliveAndAClosedPortIsGone() throws IOException {
        ManualClock clock = new ManualClock();
        LocalNodeRegistry registry = new LocalNodeRegistry(clock);
        HolderLiveness liveness = HolderLiveness.of(registry, TIMEOUT);
        try (ServerSocket paused = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + paused.getLocalPort();
            registry.announce(new NodeInfo("a", url, "", NodeLoad.IDLE, false));
            assertThat(ListenerProbe.refused(url, TIMEOUT)).isFalse();
            assertThat(liveness.gone("a")).as("listening, never accepting: a slow process").isFalse();
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String deadUrl = "http://127.0.0.1:" + closed;
        registry.announce(new NodeInfo("a", deadUrl, "", NodeLoad.IDLE, false));
        assertThat(ListenerProbe.refused(deadUrl, TIMEOUT)).isTrue();
        assertThat(liveness.gone("a")).as("listed, but its port refuses: the process exited").isTrue();
        assertThat(liveness.gone("nobody")).as("not in the registry").isTrue();
        assertThat(HolderLiveness.NEVER.gone("nobody")).isFalse();
    }

    @Test
    void whatIsNotARefusalSaysNothing() {
        assertThat(ListenerProbe.refused("", TIMEOUT)).isFalse();
        assertThat(ListenerProbe.refused("not a url at all ::", TIMEOUT)).isFalse();
    }
}
