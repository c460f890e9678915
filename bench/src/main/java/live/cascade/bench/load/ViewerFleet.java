package live.cascade.bench.load;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.dtls.DtlsCertificate;
import live.cascade.sfu.dtls.DtlsSettings;
import live.cascade.sfu.dtls.DtlsWarmUp;
import live.cascade.sfu.srtp.SrtpRuntime;
import live.cascade.sfu.params.SrtpProfile;

/**
 * The load tool's viewers of one channel: joined at a steady rate by a small pool of joining threads (signaling is
 * blocking HTTP), then spread round-robin over a few {@link ViewerReactor}s. One certificate serves every viewer, as
 * a browser's does for all its connections.
 */
public final class ViewerFleet implements AutoCloseable {
    private final URI whep;
    private final int authEvery;
    private final InetSocketAddress bindTo;
    private final DtlsSettings dtls;
    private final List<ViewerReactor> reactors = new ArrayList<>();
    private final List<LoadViewer> viewers = new CopyOnWriteArrayList<>();
    private final ExecutorService joining = Executors.newFixedThreadPool(8,
            r -> Thread.ofPlatform().daemon().name("load-join").unstarted(r));

    /**
     * @param whep     the channel's WHEP endpoint
     * @param bindTo   the local address viewers' sockets bind to (port 0)
     * @param reactors how many reactor threads share the viewers
     */
    public ViewerFleet(URI whep, InetSocketAddress bindTo, int reactors) { this(whep, bindTo, reactors, 1); }

    /** @param authEvery each viewer authenticates one RTP packet in this many (1: all; capacity runs use 10) */
    public ViewerFleet(URI whep, InetSocketAddress bindTo, int reactors, int authEvery) {
        this.authEvery = authEvery;
        this.whep = whep;
        this.bindTo = bindTo;
        this.dtls = new DtlsSettings(DtlsCertificate.generate(),
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM), Duration.ofSeconds(10));
        // Load the SRTP library and run one handshake before the first join, off the reactors: done on a reactor at the
        // first viewer's keys, it stalled that thread for seconds on a busy machine while the viewer's socket overflowed.
        SrtpRuntime.initialize();
        DtlsWarmUp.startInBackground(dtls).join();
        for (int i = 0; i < reactors; i++) this.reactors.add(new ViewerReactor("load-reactor-" + i));
    }

    /** Adds viewers until there are {@code total}, {@code perSecond} joins a second; returns once all have signaled. */
    public void growTo(int total, double perSecond) {
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> joins = new ArrayList<>();
        for (int i = viewers.size(), k = 0; i < total; i++, k++) {
            LoadViewer v = new LoadViewer(i, authEvery);
            viewers.add(v);
            ViewerReactor reactor = reactors.get(i % reactors.size());
            long due = start + (long) (k * 1e9 / perSecond);
            joins.add(joining.submit(() -> {
                long wait = due - System.nanoTime();
                if (wait > 0) sleepNanos(wait);
                v.open(whep, dtls, reactor, bindTo, Duration.ofSeconds(30));
            }));
        }
        for (var f : joins) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("a join failed to run", e);
            }
        }
    }

    /** Waits until every viewer has decrypted video or failed, at most {@code within}. */
    public void awaitJoined(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            boolean pending = false;
            for (LoadViewer v : viewers) {
                if (v.joinedNanos == 0 && v.state != LoadViewer.State.FAILED) {
                    pending = true;
                    break;
                }
            }
            if (!pending) return;
            sleepNanos(50_000_000L);
        }
    }

    List<LoadViewer> viewers() { return List.copyOf(viewers); }

    /** Viewers that have decrypted video (other tools' summary; the load tool reads each viewer). */
    public int joined() { return (int) viewers.stream().filter(v -> v.joinedNanos != 0).count(); }

    long reactorReadErrors() { return reactors.stream().mapToLong(ViewerReactor::readErrors).sum(); }

    /** Every viewer leaves (DELETE on the node); returns how many DELETEs the node answered with 200. */
    public int leaveAll() {
        List<java.util.concurrent.Future<Integer>> leaving = new ArrayList<>();
        for (LoadViewer v : viewers) leaving.add(joining.submit(v::leave));
        int ok = 0;
        for (var f : leaving) {
            try {
                if (f.get() == 200) ok++;
            } catch (Exception e) {
                // counted as not ended
            }
        }
        return ok;
    }

    @Override
    public void close() {
        joining.shutdownNow();
        try {
            joining.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ViewerReactor r : reactors) r.close();
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
