package live.cascade.api.media;

import live.cascade.api.ops.Readiness;
import live.cascade.api.ops.ReadinessComponent;
import live.cascade.signaling.session.BroadcastService;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code "media"} in {@code /readyz}: WHIP sessions against the publishers' reserve and WHEP sessions against the
 * viewers' share of {@code --max-sessions}. A share that is busy (at least {@value #BUSY_PERCENT}%) or even full is only
 * "degraded": the node still takes sessions of the other kind, so a load balancer keeps it. Both shares full is
 * "down", the one state in which this node cannot take a new session. Beside the shares it shows how many DTLS
 * handshakes are queued for a handshake slot ({@code dtlsHandshakesWaiting}): a figure, not a state, since a queued
 * handshake waits its turn and completes.
 */
public final class MediaCapacityReadiness implements ReadinessComponent {
    static final int BUSY_PERCENT = 90;

    private final IntSupplier publishers;
    private final int publisherShare;
    private final IntSupplier viewers;
    private final int viewerShare;
    private final IntSupplier handshakesWaiting;

    public MediaCapacityReadiness(IntSupplier publishers, int publisherShare, IntSupplier viewers, int viewerShare,
                                  IntSupplier handshakesWaiting) {
        this.publishers = publishers;
        this.publisherShare = publisherShare;
        this.viewers = viewers;
        this.viewerShare = viewerShare;
        this.handshakesWaiting = handshakesWaiting;
    }

    public MediaCapacityReadiness(BroadcastService broadcasts, IntSupplier handshakesWaiting) {
        this(broadcasts::publisherSessions, broadcasts.admissionLimits().publisherShare(),
                broadcasts::viewerSessions, broadcasts.admissionLimits().viewerShare(), handshakesWaiting);
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
        int p = publishers.getAsInt();
        int v = viewers.getAsInt();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sessions", p + v);
        d.put("maxSessions", publisherShare + viewerShare);
        d.put("publishers", p);
        d.put("publisherShare", publisherShare);
        d.put("viewers", v);
        d.put("viewerShare", viewerShare);
        d.put("dtlsHandshakesWaiting", handshakesWaiting.getAsInt());
        String figures = p + " of " + publisherShare + " publisher and " + v + " of " + viewerShare + " viewer sessions in use";
        boolean publishersFull = p >= publisherShare;
        boolean viewersFull = v >= viewerShare;
        if (publishersFull && viewersFull) {
            return new Readiness.Down("Every media session slot is taken (" + figures + "); new WHIP/WHEP sessions get 503 until one ends"
                    + " (raise --max-sessions if the machine has room).", d);
        }
        if (publishersFull) {
            return new Readiness.Degraded("The publishers' reserve is full (" + figures + "); new WHIP sessions get 503"
                    + " (raise --publisher-reserve or --max-sessions).", d);
        }
        if (viewersFull) {
            return new Readiness.Degraded("The viewers' share is full (" + figures + "); new WHEP sessions get 503"
                    + " (raise --max-sessions, or lower --publisher-reserve).", d);
        }
        if (busy(p, publisherShare) || busy(v, viewerShare)) return new Readiness.Degraded("Busy: " + figures + ".", d);
        return new Readiness.Ok(figures + ".", d);
    }

    private static boolean busy(int n, int share) {
        return (long) n * 100 >= (long) share * BUSY_PERCENT;
    }
}
