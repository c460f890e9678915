package live.cascade.ingest.srt;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.IngestGate;

/** What the SRT listener counts for {@code /metrics}: node-wide totals, no per-connection labels. */
public final class SrtCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder publishes = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private final Map<IngestGate.Reason, LongAdder> refused = new EnumMap<>(IngestGate.Reason.class);

    public SrtCounters() {
        for (IngestGate.Reason r : IngestGate.Reason.values()) refused.put(r, new LongAdder());
    }

    void countRefused(IngestGate.Reason reason) { refused.get(reason).increment(); }

    /** Callers accepted (their stream key was good). */
    public long connections() { return connections.sum(); }

    /** Publishes that reached the router. */
    public long publishes() { return publishes.sum(); }

    /** Callers refused for asking to play ({@code m=request}) or for a streamid that is not understood. */
    public long badRequests() { return badRequests.sum(); }

    /** H.264 access units or ADTS frames that could not be read, dropped. */
    public long malformed() { return malformed.sum(); }

    public long refused(IngestGate.Reason reason) { return refused.get(reason).sum(); }
}
