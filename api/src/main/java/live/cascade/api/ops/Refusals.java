package live.cascade.api.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * {@code cascade_refusals_total{reason}}: requests the node refused by a limit, one series per {@link RefusalReason}
 * (registered up front, so a limit that never fired shows 0 rather than nothing).
 */
public final class Refusals {
    private final Map<RefusalReason, Counter> counters = new EnumMap<>(RefusalReason.class);

    public Refusals(MeterRegistry registry) {
        for (RefusalReason r : RefusalReason.values()) {
            counters.put(r, Counter.builder("cascade_refusals")
                    .description("Requests refused by a limit (429/503/400/413), by reason")
                    .tag("reason", r.label())
                    .register(registry));
        }
    }

    public void count(RefusalReason reason) {
        counters.get(reason).increment();
    }

    /** Refusals for {@code reason} since start. */
    public long total(RefusalReason reason) {
        return (long) counters.get(reason).count();
    }
}
