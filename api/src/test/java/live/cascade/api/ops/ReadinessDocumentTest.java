package live.cascade.api.ops;

import live.cascade.api.media.MediaCapacityReadiness;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessDocumentTest {
    /** A component whose answer the test sets, standing for a feature that registers one. */
    private static final class Fixed implements ReadinessComponent {
        private final String name;
        private final boolean needed;
        private Readiness now = Readiness.ok("fine");

        Fixed(String name, boolean needed) {
            this.name = name;
            this.needed = needed;
        }

        @Override public String name() { return name; }
        @Override public Readiness check() { return now; }
        @Override public boolean neededForNewSessions() { return needed; }
    }

    @Test
    void onlyAComponentNeededForNewSessionsTakesTheNodeOutOfRotation() {
        Fixed database = new Fixed("database", true);
        Fixed chatLink = new Fixed("redis", false);
        HealthResource health = new HealthResource("test", Clock.systemUTC(), List.of(database, chatLink));
        assertThat(health.report().acceptsNewSessions()).isTrue();
        assertThat(health.report().body()).containsEntry("status", "ok");

        chatLink.now = new Readiness.Down("gone", Map.of("address", "redis://x"));
        HealthResource.Report degraded = health.report();
        assertThat(degraded.acceptsNewSessions()).as("a node that still serves stays in rotation").isTrue();
        assertThat(degraded.body()).containsEntry("status", "degraded");
        assertThat(degraded.body().get("redis")).isEqualTo(Map.of("status", "down", "reason", "gone", "address", "redis://x"));

        database.now = new Readiness.Degraded("slow", Map.of());
        assertThat(health.report().acceptsNewSessions()).isTrue();
        database.now = new Readiness.Down("unreachable", Map.of());
        HealthResource.Report down = health.report();
        assertThat(down.acceptsNewSessions()).isFalse();
        assertThat(down.body()).containsEntry("status", "down");
        assertThat(down.body().keySet()).containsExactly("status", "version", "uptimeSeconds", "database", "redis");
    }

    @Test
    void aComponentWhoseCheckThrowsIsReportedDownInsteadOfFailingTheProbe() {
        ReadinessComponent broken = new ReadinessComponent() {
            @Override public String name() { return "recordings"; }
            @Override public Readiness check() { throw new IllegalStateException("disk vanished"); }
        };
        HealthResource.Report r = new HealthResource("test", Clock.systemUTC(), List.of(new Fixed("database", true), broken)).report();
        assertThat(r.acceptsNewSessions()).isTrue();
        assertThat(r.body()).containsEntry("status", "degraded");
        assertThat(((Map<?, ?>) r.body().get("recordings")).get("reason").toString()).contains("disk vanished");
    }

    @Test
    void mediaCapacityIsBusyFromNinetyPercentAndDownOnlyWhenFull() {
        AtomicInteger sessions = new AtomicInteger();
        MediaCapacityReadiness media = new MediaCapacityReadiness(sessions::get, 10);
        assertThat(media.check()).isInstanceOf(Readiness.Ok.class);
        sessions.set(8);
        assertThat(media.check()).isInstanceOf(Readiness.Ok.class);
        sessions.set(9);
        assertThat(media.check()).isInstanceOf(Readiness.Degraded.class);
        assertThat(media.check().reason()).contains("9 of 10");
        sessions.set(10);
        assertThat(media.check()).isInstanceOf(Readiness.Down.class);
        assertThat(media.check().details()).containsEntry("sessions", 10).containsEntry("maxSessions", 10);
        assertThat(media.neededForNewSessions()).isTrue();
    }
}
