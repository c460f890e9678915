package live.cascade.api.media;

import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code "media"} in {@code /readyz}: WHIP plus WHEP sessions against {@code --max-sessions}. Busy (at least
 * {@value #BUSY_PERCENT}%) is only "degraded", so a load balancer keeps sending the node work; full is "down", the one
 * state in which this node cannot take a new session.
 */
public final class MediaCapacityReadiness implements ReadinessComponent {
    static final int BUSY_PERCENT = 90;

    private final IntSupplier sessions;
    private final int maxSessions;

    public MediaCapacityReadiness(IntSupplier sessions, int maxSessions) {
        this.sessions = sessions;
        this.maxSessions = maxSessions;
    }

    @Override
    public String name() {
        return "media";
    }

    @Override
    public boolean neededForNewSessions() {
        return true;
    }

    @Override
    public Readiness check() {
        int n = sessions.getAsInt();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sessions", n);
        d.put("maxSessions", maxSessions);
        if (n >= maxSessions) {
            return new Readiness.Down("Every media session slot is taken (" + n + " of " + maxSessions
                    + "); new WHIP/WHEP sessions get 503 until one ends (raise --max-sessions if the machine has room).", d);
        }
        if ((long) n * 100 >= (long) maxSessions * BUSY_PERCENT) {
            return new Readiness.Degraded("Busy: " + n + " of " + maxSessions + " media sessions in use.", d);
        }
        return new Readiness.Ok(n + " of " + maxSessions + " media sessions in use.", d);
    }
}
