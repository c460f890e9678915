package live.cascade.sfu.dtls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import live.cascade.sfu.params.DtlsRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few DTLS handshakes of the engine with itself (our certificate on both ends, in memory), run once in the
 * background when the engine starts. The first handshake in a JVM loads and initialises Bouncy Castle's TLS classes
 * and the JDK's elliptic-curve code and runs interpreted: on the 2-core development box about 370 ms, against 27 ms
 * for the second and 7 ms from the third on (both ends together). Without this, a node's first publisher and first
 * viewers would wait for that.
 */
public final class DtlsWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsWarmUp.class);
    /** Enough to get past class loading and the interpreter (see above); more buys nothing measurable. */
    static final int HANDSHAKES = 3;
    private static final long HANDSHAKE_WAIT_MILLIS = 10_000;

    private DtlsWarmUp() {}

    /** Runs the warm-up on a virtual thread; completes with the number of handshakes that succeeded. */
    public static CompletableFuture<Integer> startInBackground(DtlsSettings settings) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofVirtual().name("dtls-warm-up").start(() -> {
            try {
                done.complete(run(settings, HANDSHAKES));
            } catch (InterruptedException e) {
                done.complete(0);
            } catch (RuntimeException e) {
                LOG.warn("DTLS warm-up failed", e);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** {@code handshakes} loopback handshakes one after another; returns how many completed on both ends. */
    static int run(DtlsSettings settings, int handshakes) throws InterruptedException {
        int succeeded = 0;
        long first = -1;
        long last = -1;
        for (int i = 0; i < handshakes; i++) {
            long start = System.nanoTime();
            if (!handshake(settings, "warm-up-" + i)) break;
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (first < 0) first = millis;
            last = millis;
            succeeded++;
        }
        if (succeeded == handshakes) {
            LOG.info("DTLS warmed up: {} handshakes with ourselves, the first {} ms, the last {} ms", succeeded, first, last);
        }
        return succeeded;
    }

    private static boolean handshake(DtlsSettings settings, String name) throws InterruptedException {
        CountDownLatch established = new CountDownLatch(2);
        AtomicInteger failures = new AtomicInteger();
        DtlsSession.Events events = new DtlsSession.Events() {
            @Override
            public void onEstablished(DtlsKeys keys) {
                established.countDown();
            }

            @Override
            public void onFailed(DtlsFailure failure, String detail) {
                // Our own certificate failing against itself means DTLS is broken on this node: say so at start.
                if (failures.getAndIncrement() == 0) LOG.warn("DTLS warm-up handshake failed: {} ({})", failure, detail);
                established.countDown();
                established.countDown();
            }

            @Override
            public void onClosed(String detail) {
                // the other end closed after the handshake: expected when the pair is torn down
            }
        };
        DtlsSession[] pair = new DtlsSession[2];
        pair[0] = new DtlsSession(DtlsRole.SERVER, settings, settings.certificate().fingerprint(), d -> pair[1].offer(d), events, name + "-server");
        pair[1] = new DtlsSession(DtlsRole.CLIENT, settings, settings.certificate().fingerprint(), d -> pair[0].offer(d), events, name + "-client");
        try {
            pair[0].start();
            pair[1].start();
            boolean done = established.await(HANDSHAKE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (!done) LOG.warn("DTLS warm-up handshake did not finish within {} ms", HANDSHAKE_WAIT_MILLIS);
            return done && failures.get() == 0;
        } finally {
            pair[1].close();
            pair[0].close();
        }
    }
}
