package live.cascade.sfu.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.ice.IceChecks;
import live.cascade.sfu.ice.StunMessages;
import live.cascade.sfu.params.IceParameters;

/**
 * The checks a transport sends when we are the controlling ICE agent (our node pulling a channel from another node,
 * whose WHEP answer is ICE-lite): every {@value #CHECK_MILLIS} ms to each of the peer's candidates until one answers
 * (that pair is selected, and DTLS starts as client), then every {@value #CONSENT_MILLIS} ms on the selected pair,
 * which keeps the peer's consent fresh (RFC 7675) and ours: a peer that stops answering for {@code consentTimeoutNanos}
 * is gone. Worker thread only.
 */
final class ControllingIce {
    static final long CHECK_MILLIS = 50;
    static final long CONSENT_MILLIS = 1000;

    private final PeerTransport owner;
    private final MediaWorker worker;
    private final IceChecks checks;
    private final List<InetSocketAddress> targets;
    private final long consentTimeoutNanos;
    private final byte[] request = new byte[StunMessages.MAX_REQUEST_LENGTH];
    private final Runnable round = this::round;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    ControllingIce(PeerTransport owner, MediaWorker worker, IceParameters localIce, IceParameters remoteIce,
                   List<InetSocketAddress> targets, long consentTimeoutNanos) {
        this.owner = owner;
        this.worker = worker;
        this.checks = new IceChecks(localIce, remoteIce, new SplittableRandom());
        this.targets = List.copyOf(targets);
        this.consentTimeoutNanos = consentTimeoutNanos;
    }

    List<InetSocketAddress> targets() { return targets; }

    long consentTimeoutNanos() { return consentTimeoutNanos; }

    /** Sends the first round now and schedules the rest. */
    void start() {
        round();
    }

    /** True when {@code b[0..len)} answers one of our checks (then it selects or refreshes; the caller applies it). */
    boolean isAnswer(byte[] b, int len) {
        return !stopped && checks.isAnswer(b, len, worker.crc, worker.hmacScratch);
    }

    void stop() {
        stopped = true;
        if (timer != null) timer.cancel(false);
    }

    private void round() {
        if (stopped || owner.isClosed()) return;
        InetSocketAddress selected = owner.selectedAddress();
        if (selected != null) {
            send(selected);
        } else {
            for (InetSocketAddress target : targets) send(target);
        }
        timer = worker.schedule(round, selected != null ? CONSENT_MILLIS : CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void send(InetSocketAddress to) {
        int n = checks.writeRequest(request, worker.crc);
        worker.out.write(worker.out.alloc().directBuffer(n).writeBytes(request, 0, n), to);
        worker.counters.increment(Counter.STUN_REQUESTS_SENT);
    }
}
