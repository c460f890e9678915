package live.cascade.ingest.rtmp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.ingest.IngestGate;

/** What the RTMP server counts for {@code /metrics}: node-wide totals, no per-connection labels. */
public final class RtmpCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder publishes = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    private final Map<IngestGate.Reason, LongAdder> refused = new EnumMap<>(IngestGate.Reason.class);

    public RtmpCounters() {
        for (IngestGate.Reason r : IngestGate.Reason.values()) refused.put(r, new LongAdder());
    }

    void countRefused(IngestGate.Reason reason) { refused.get(reason).increment(); }

    public long connections() { return connections.sum(); }

    /** Publishes admitted (the stream key was good). */
    public long publishes() { return publishes.sum(); }

    /** Connections closed because they broke the protocol (bad handshake, unframeable chunk, bad AMF). */
    public long protocolErrors() { return protocolErrors.sum(); }

    public long refused(IngestGate.Reason reason) { return refused.get(reason).sum(); }
}
