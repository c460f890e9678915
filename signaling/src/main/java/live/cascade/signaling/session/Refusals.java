package live.cascade.signaling.session;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** Every refusal, counted by reason, so malformed SDP and sdpfrag bodies show in /metrics like dropped packets. */
final class Refusals {
    private final EnumMap<Refusal.Reason, LongAdder> counts = new EnumMap<>(Refusal.Reason.class);

    Refusals() {
        for (Refusal.Reason r : Refusal.Reason.values()) counts.put(r, new LongAdder());
    }

    Refusal refuse(Refusal.Reason reason, String detail) {
        counts.get(reason).increment();
        return new Refusal(reason, detail);
    }

    /** How many requests were refused for {@code reason} since start. */
    long count(Refusal.Reason reason) {
        return counts.get(reason).sum();
    }
}
