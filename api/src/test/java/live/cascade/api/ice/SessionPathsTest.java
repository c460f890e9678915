package live.cascade.api.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import live.cascade.signaling.session.SelectedPath;
import live.cascade.signaling.session.SessionKind;
import org.junit.jupiter.api.Test;

class SessionPathsTest {
    private static SelectedPath path(String ip, int port, boolean tcp) {
        return new SelectedPath(SessionKind.VIEWER, new InetSocketAddress(ip, port), tcp);
    }

    @Test
    void sessionsCountAsUdpTcpOrTurnByTheirSelectedPath() throws Exception {
        List<SelectedPath> sessions = List.of(path("198.51.100.7", 50000, false), path("198.51.100.8", 50001, true),
                path("203.0.113.5", 49200, false), path("203.0.113.5", 49201, false), path("198.51.100.9", 40000, false));
        SessionPaths paths = new SessionPaths(Set.of(InetAddress.getByName("203.0.113.5")), () -> sessions);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        paths.bind(registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains("cascade_media_sessions_by_path{path=\"udp\"} 2.0")
                .contains("cascade_media_sessions_by_path{path=\"tcp\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn\"} 2.0");
    }

    @Test
    void theHostOfATurnUrlIsFoundWhateverItsForm() {
        assertThat(SessionPaths.host("turn:turn.example.org:3478?transport=udp")).isEqualTo("turn.example.org");
        assertThat(SessionPaths.host("turns:[2001:db8::1]:443?transport=tcp")).isEqualTo("2001:db8::1");
        assertThat(SessionPaths.host("turn:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(SessionPaths.relayAddresses(List.of("turn:127.0.0.1:3478"))).containsExactly(InetAddress.getLoopbackAddress());
    }

    @Test
    void aClientsRelayReportNamesTheTransportOnlyOfTheRelayedSessionItMatches() throws Exception {
        List<SelectedPath> sessions = List.of(path("203.0.113.5", 49200, false), path("203.0.113.5", 49201, false),
                path("203.0.113.5", 49202, false), path("198.51.100.7", 50000, false));
        SessionPaths paths = new SessionPaths(Set.of(InetAddress.getByName("203.0.113.5")), () -> sessions);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        paths.bind(registry);

        paths.reportRelay(new InetSocketAddress("203.0.113.5", 49200), "tls");
        paths.reportRelay(new InetSocketAddress("203.0.113.5", 49201), "udp");
        paths.reportRelay(new InetSocketAddress("198.51.100.7", 50000), "tls"); // not the relay: a direct session stays udp
        paths.reportRelay(new InetSocketAddress("203.0.113.5", 40000), "tcp");  // no session is relayed from there

        assertThat(registry.scrape()).contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn-udp\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn-tcp\"} 0.0")
                .contains("cascade_media_sessions_by_path{path=\"turn\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"udp\"} 1.0");
    }
}
