package live.cascade.sfu.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.net.MediaWorker;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.params.TransportParameters;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;

/**
 * One media worker as control code sees it: a thread to run a channel's work on, transports that live there, and
 * routers hosted there with their tick. Everything one channel owns (its router and every transport of its
 * publisher and viewers) lives on one lane, so it shares a thread and needs no locks. Signaling reaches the media
 * plane only through {@link MediaEngine} and its lanes, never the worker itself.
 */
public final class MediaLane {
    private final MediaWorker worker;

    MediaLane(MediaWorker worker) {
        this.worker = worker;
    }

    public int index() { return worker.index(); }

    /** True when the caller is this lane's thread. */
    public boolean onLane() { return worker.inEventLoop(); }

    /** Runs {@code task} on the lane's thread, later; never blocks. */
    public void execute(Runnable task) { worker.execute(task); }

    /** On the lane's thread: runs {@code task} as one write batch (its sends leave in one flush at the end). */
    public void runBatch(Runnable task) { worker.runBatch(task); }

    /**
     * Runs {@code task} on the lane's thread and waits for it (directly when already on it).
     *
     * @throws IllegalStateException when the lane has stopped or did not answer in time
     */
    public <T> T call(Callable<T> task) { return worker.call(task); }

    /** Runs {@code task} on the lane's thread after {@code delay}. */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return worker.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The host candidates every transport on this lane advertises. */
    public List<Candidate> candidates() { return worker.candidates(); }

    /**
     * Creates a transport on this lane with fresh local ICE credentials; the listener hears its life-cycle events on
     * the lane's thread. Callable from any thread but another lane's (it waits for this one).
     */
    public TransportControl openTransport(TransportParameters parameters, TransportListener listener) {
        return worker.createTransport(parameters, listener);
    }

    /**
     * Creates a transport on this lane on which we check the peer's {@code candidates} ourselves (controlling ICE
     * agent toward an ICE-lite peer: another node whose WHEP answer we hold) with the local credentials our offer
     * carried. It closes when the peer stops answering for {@code consentTimeout}.
     */
    public TransportControl openControllingTransport(TransportParameters parameters, IceParameters localIce,
                                                     List<java.net.InetSocketAddress> candidates,
                                                     Duration consentTimeout, TransportListener listener) {
        return worker.createControllingTransport(parameters, localIce, candidates, consentTimeout, listener);
    }

    /**
     * On the lane's thread: a router for one publication, ticking every {@code tickInterval} (reports, keyframe
     * retries, REMB) until the returned handle is closed.
     */
    /** How often the viewers' pacers drain when estimation is on. */
    static final long PACE_INTERVAL_NANOS = 5_000_000L;

    public HostedRouter hostRouter(String channelId, List<TrackParameters> publisherTracks, RouterListener listener,
                                   RouterConfig config, Duration tickInterval) {
        if (!worker.inEventLoop()) throw new IllegalStateException("host a router on its lane's thread");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Router router = new Router(channelId, publisherTracks, listener, config, MediaClock.SYSTEM, new SplittableRandom());
        long period = tickInterval.toNanos();
        ScheduledFuture<?> tick = worker.scheduleAtFixedRate(() -> router.onTick(System.nanoTime()), period, period,
                TimeUnit.NANOSECONDS);
        // The viewers' pacers drain between packets on this timer (a periodic task: nothing allocated per run).
        ScheduledFuture<?> pace = !config.viewerBwe() ? null : worker.scheduleAtFixedRate(
                () -> router.onPace(System.nanoTime()), PACE_INTERVAL_NANOS, PACE_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
        return new HostedRouter(this, router, tick, pace);
    }

    @Override
    public String toString() {
        return "MediaLane[" + worker + "]";
    }
}
