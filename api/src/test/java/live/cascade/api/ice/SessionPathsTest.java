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
        return path("s-" + ip + "-" + port, ip, port, tcp);
    }

    private static SelectedPath path(String session, String ip, int port, boolean tcp) {
        return new SelectedPath(session, SessionKind.VIEWER, new InetSocketAddress(ip, port), tcp);
    }

    private static RelayClaim claim(String session, String ip, int port, String transport) {
        return new RelayClaim(session, new InetSocketAddress(ip, port), transport);
    }

    private static String series(PrometheusMeterRegistry registry) {
        return registry.scrape().lines().filter(l -> l.startsWith("cascade_media_sessions_by_path{")).sorted().toList().toString();
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
    void aClientsRelayReportNamesTheTransportOnlyOfTheRelayedSessionItNamesAndMatches() throws Exception {
        List<SelectedPath> sessions = List.of(path("a", "203.0.113.5", 49200, false), path("b", "203.0.113.5", 49201, false),
                path("c", "203.0.113.5", 49202, false), path("d", "198.51.100.7", 50000, false), path("e", "203.0.113.5", 49203, false));
        SessionPaths paths = new SessionPaths(Set.of(InetAddress.getByName("203.0.113.5")), () -> sessions);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        paths.bind(registry);

        assertThat(paths.reportRelay(claim("a", "203.0.113.5", 49200, "tls"))).isEqualTo(SessionPaths.Outcome.APPLIED);
        assertThat(paths.reportRelay(claim("b", "203.0.113.5", 49201, "udp"))).isEqualTo(SessionPaths.Outcome.APPLIED);
        // Not the relay: a direct session stays udp whatever its client says.
        assertThat(paths.reportRelay(claim("d", "198.51.100.7", 50000, "tls"))).isEqualTo(SessionPaths.Outcome.NOT_THE_RELAY);
        // Session c names the relayed address of session e: believed for neither.
        assertThat(paths.reportRelay(claim("c", "203.0.113.5", 49203, "tcp"))).isEqualTo(SessionPaths.Outcome.OTHER_ADDRESS);
        // A session the node has no selected path for (yet): kept, counted for nobody.
        assertThat(paths.reportRelay(claim("later", "203.0.113.5", 40000, "tcp"))).isEqualTo(SessionPaths.Outcome.PENDING);

        assertThat(registry.scrape()).contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn-udp\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn-tcp\"} 0.0")
                .contains("cascade_media_sessions_by_path{path=\"turn\"} 2.0")
                .contains("cascade_media_sessions_by_path{path=\"udp\"} 1.0");
    }

    /**
     * The bug this binding fixes: a report was once kept by relayed address for two minutes, so a new session that
     * coturn gave the same relay port inside that time was counted by the old session's transport.
     */
    @Test
    void anEndedSessionsReportDoesNotLabelANewSessionRelayedFromTheSameAddressAndPort() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<SelectedPath>> sessions =
                new java.util.concurrent.atomic.AtomicReference<>(List.of(path("old", "203.0.113.5", 49200, false)));
        SessionPaths paths = new SessionPaths(Set.of(InetAddress.getByName("203.0.113.5")), sessions::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        paths.bind(registry);
        assertThat(paths.reportRelay(claim("old", "203.0.113.5", 49200, "tls"))).isEqualTo(SessionPaths.Outcome.APPLIED);
        assertThat(registry.scrape()).contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 1.0");

        sessions.set(List.of(path("new", "203.0.113.5", 49200, false))); // the old one ended; the port is reused at once
        Thread.sleep(1100); // past the gauge's one-second cache

        assertThat(series(registry)).as("the newcomer has not reported: plain turn")
                .contains("cascade_media_sessions_by_path{path=\"turn\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn-tls\"} 0.0");
        assertThat(paths.reportRelay(claim("new", "203.0.113.5", 49200, "udp"))).isEqualTo(SessionPaths.Outcome.APPLIED);
        assertThat(series(registry)).contains("cascade_media_sessions_by_path{path=\"turn-udp\"} 1.0")
                .contains("cascade_media_sessions_by_path{path=\"turn\"} 0.0");
    }

    @Test
    void aReportThatPrecedesItsSessionsSelectedPathCountsOnceThePathMatches() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<SelectedPath>> sessions = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        SessionPaths paths = new SessionPaths(Set.of(InetAddress.getByName("203.0.113.5")), sessions::get);
        assertThat(paths.reportRelay(claim("early", "203.0.113.5", 49300, "tcp"))).isEqualTo(SessionPaths.Outcome.PENDING);

        sessions.set(List.of(path("early", "203.0.113.5", 49300, false)));

        assertThat(paths.counts()).containsEntry(SessionPaths.Path.TURN_TCP, 1).containsEntry(SessionPaths.Path.TURN, 0);
    }

    @Test
    void withoutATurnServerNothingIsRelayed() {
        SessionPaths paths = new SessionPaths(Set.of(), List::of);
        assertThat(paths.relaying()).isFalse();
        assertThat(paths.reportRelay(claim("x", "203.0.113.5", 49200, "tls"))).isEqualTo(SessionPaths.Outcome.NOT_THE_RELAY);
    }
}
