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
    void mediaCapacityIsDegradedWhenOneShareIsBusyOrFullAndDownOnlyWhenBothAreFull() {
        AtomicInteger publishers = new AtomicInteger();
        AtomicInteger viewers = new AtomicInteger();
        MediaCapacityReadiness media = new MediaCapacityReadiness(publishers::get, 2, viewers::get, 10, () -> 0);
        assertThat(media.check()).isInstanceOf(Readiness.Ok.class);
        viewers.set(8);
        assertThat(media.check()).isInstanceOf(Readiness.Ok.class);
        viewers.set(9);
        assertThat(media.check()).isInstanceOf(Readiness.Degraded.class);
        assertThat(media.check().reason()).contains("9 of 10 viewer");
        viewers.set(10);
        assertThat(media.check()).as("publishers can still come").isInstanceOf(Readiness.Degraded.class);
        assertThat(media.check().reason()).contains("viewers' share is full");
        viewers.set(0);
        publishers.set(2);
        assertThat(media.check()).as("viewers can still come").isInstanceOf(Readiness.Degraded.class);
        assertThat(media.check().reason()).contains("publishers' reserve is full");
        viewers.set(10);
        assertThat(media.check()).isInstanceOf(Readiness.Down.class);
        assertThat(media.check().details()).containsEntry("sessions", 12).containsEntry("maxSessions", 12)
                .containsEntry("publishers", 2).containsEntry("publisherShare", 2)
                .containsEntry("viewers", 10).containsEntry("viewerShare", 10);
        assertThat(media.neededForNewSessions()).isTrue();
    }

    @Test
    void queuedDtlsHandshakesShowBesideTheMediaSharesWithoutChangingTheStatus() {
        AtomicInteger waiting = new AtomicInteger();
        MediaCapacityReadiness media = new MediaCapacityReadiness(() -> 1, 2, () -> 3, 10, waiting::get);
        assertThat(media.check().details()).containsEntry("dtlsHandshakesWaiting", 0);

        waiting.set(40);

        assertThat(media.check()).as("queued handshakes wait their turn; they are load, not a failure")
                .isInstanceOf(Readiness.Ok.class);
        assertThat(media.check().details()).containsEntry("dtlsHandshakesWaiting", 40);
    }
}
