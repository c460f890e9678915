package live.cascade.sfu.spread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import live.cascade.sfu.engine.HostedRouter;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.Codec;
import live.cascade.sfu.params.HeaderExtensions;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.routing.ViewerHandle;
import live.cascade.sfu.routing.ViewerStats;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * One channel's viewers spread over every media worker. The channel's router stays on its origin lane (where the
 * publisher's transport is); a viewer placed on another lane joins that lane's relay router, which this class
 * creates on first use: a {@link Router} fed through a {@link WorkerPipe} that is itself a viewer of the origin
 * router. So the publisher's packets cross to each other worker once, each worker fans out to its own viewers, and
 * every viewer's state (its consumer, rewrite, SRTP, pacer) is touched only by its own worker's thread.
 *
 * <p>What a relay viewer's feedback reaches: its NACKs are answered from the relay router's history, a copy of the
 * publisher's packets made on the relay worker (so no thread reads another's ring); a packet missing there (lost
 * before the origin, or dropped by a full pipe) is NACKed up the pipe by the relay router and answered from the
 * publisher's history with RTX, as for any viewer. Its PLI/FIR go through the relay's throttle and then up the pipe
 * into the origin's, so the publisher still sees at most one per {@code keyframeRequestInterval}. Joins start from
 * the relay's own GOP cache; the first viewer of a relay gets the origin's (the pipe joins the origin as a viewer).
 *
 * <p>Threads: {@link #routerOn} and relays run on their lane; the pipe's origin end is attached and closed on the
 * origin lane; {@link #close} may run on any lane. A relay router stays until the channel's broadcast ends.
 */
public final class ChannelSpread {
    /** Origin → relay slots per pipe: a keyframe burst at 1.5–4 Mbit/s is 50–150 packets. */
    static final int DOWN_SLOTS = 512;
    /** Relay → origin slots: RTCP only. */
    static final int UP_SLOTS = 64;

    private final String channelId;
    private final MediaLane origin;
    private final Router originRouter;
    private final List<TrackParameters> pipeTracks;
    private final RouterConfig config;
    private final Duration tickInterval;
    /** By lane index: the relay there; each element written only on its lane (read by {@link #close}). */
    private final AtomicReferenceArray<Relay> relays;
    private volatile boolean closed;

    /**
     * @param origin       the lane of the channel's router (the publisher's)
     * @param originRouter that router; touched only on {@code origin}
     * @param publisherTracks the publication's tracks ({@link #canSpread} must be true)
     * @param lanes        how many lanes the engine has
     */
    public ChannelSpread(String channelId, MediaLane origin, Router originRouter, List<TrackParameters> publisherTracks,
                         RouterConfig config, Duration tickInterval, int lanes) {
        if (!canSpread(publisherTracks)) throw new IllegalArgumentException("simulcast publications are not spread");
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.originRouter = Objects.requireNonNull(originRouter, "originRouter");
        this.pipeTracks = pipeTracks(publisherTracks, new SplittableRandom());
        this.config = Objects.requireNonNull(config, "config");
        this.tickInterval = Objects.requireNonNull(tickInterval, "tickInterval");
        this.relays = new AtomicReferenceArray<>(lanes);
    }

    /**
     * True when a publication can be spread: no simulcast layers. A pipe carries one stream per kind, and a relay
     * worker's viewers could not pick their own layer from it, so a simulcast channel keeps its viewers on its lane.
     */
    public static boolean canSpread(List<TrackParameters> publisherTracks) {
        for (TrackParameters t : publisherTracks) if (t.isLayer()) return false;
        return true;
    }

    public MediaLane origin() { return origin; }

    /**
     * On {@code lane}'s thread: the router a viewer on that lane joins: the channel's own on the origin lane, else
     * that lane's relay router (created now if it is the lane's first viewer). Null once the spread is closed.
     */
    public Router routerOn(MediaLane lane) {
        if (!lane.onLane()) throw new IllegalStateException("call on the lane's thread");
        if (lane == origin) return originRouter.isClosed() ? null : originRouter;
        if (closed) return null;
        Relay r = relays.get(lane.index());
        if (r == null) {
            r = open(lane);
            relays.set(lane.index(), r);
            // close() sets closed and then reads the array; we set the array and then read closed: one of us sees
            // the other, so a relay created as the broadcast ends is closed by someone.
            if (closed) {
                r.close();
                return null;
            }
        }
        return r.hosted.router();
    }

    private Relay open(MediaLane lane) {
        int slot = config.maxPacketSize() + MediaTransport.SRTP_TAIL_ROOM;
        WorkerPipe pipe = new WorkerPipe(origin::execute, origin::runBatch, lane::execute, lane::runBatch,
                DOWN_SLOTS, UP_SLOTS, slot);
        HostedRouter hosted = lane.hostRouter(channelId + "@" + lane.index(), pipeTracks, RouterListener.NONE, config,
                tickInterval);
        MediaReceiver receiver = hosted.router().attachPublisher(pipe.relaySide(), pipeTracks);
        pipe.bindRelay(receiver);
        Relay relay = new Relay(lane, hosted, pipe);
        origin.execute(() -> attachOrigin(relay));
        return relay;
    }

    /** Origin lane: the pipe joins the channel's router as a viewer (unpaced). */
    private void attachOrigin(Relay relay) {
        if (closed || relay.pipe.isClosed() || originRouter.isClosed()) return;
        ViewerHandle handle = originRouter.addPipe(relay.pipe.originSide(), pipeTracks);
        relay.pipe.bindOrigin(handle.rtcpInput());
        relay.originHandle = handle;
    }

    /**
     * Any thread: closes every relay (on its lane) and its pipe; the relays' viewers are closed with their routers.
     * Their transports are the caller's to close. Idempotent.
     */
    public void close() {
        closed = true;
        for (int i = 0; i < relays.length(); i++) {
            Relay r = relays.get(i);
            if (r != null) r.close();
        }
    }

    /**
     * The viewers of every relay router, each read on its lane (it waits for them: not from a lane's thread). With
     * the channel router's own {@code stats().viewers()} (which leaves the pipes out) that is every viewer.
     */
    public List<ViewerStats> relayViewerStats() {
        List<ViewerStats> out = new ArrayList<>();
        for (int i = 0; i < relays.length(); i++) {
            Relay r = relays.get(i);
            if (r == null || r.pipe.isClosed()) continue;
            try {
                out.addAll(r.lane.call(() -> r.hosted.router().isClosed() ? List.<ViewerStats>of() : r.hosted.router().stats().viewers()));
            } catch (IllegalStateException e) {
                // The lane stopped with the engine.
            }
        }
        return out;
    }

    /** Lanes with a relay now, for stats and tests. */
    public List<Integer> relayLanes() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < relays.length(); i++) if (relays.get(i) != null) out.add(i);
        return out;
    }

    /** The pipe to lane {@code index}, or null (for stats and tests). */
    public WorkerPipe pipe(int index) {
        Relay r = relays.get(index);
        return r == null ? null : r.pipe;
    }

    /**
     * The pipe's tracks, used both as the origin's viewer tracks and the relay's publisher tracks: the publication's
     * kinds, mids, codecs and payload types, fresh SSRCs, RTX where the publication has it; feedback limited to NACK
     * and keyframe requests (a pipe needs no congestion control), header extensions minus transport-cc.
     */
    public static List<TrackParameters> pipeTracks(List<TrackParameters> publisherTracks, SplittableRandom random) {
        List<TrackParameters> out = new ArrayList<>(publisherTracks.size());
        long next = 1 + random.nextLong(0xFFFF_0000L);
        for (TrackParameters t : publisherTracks) {
            Codec c = t.codec();
            List<String> fb = c.rtcpFeedback().stream()
                    .filter(f -> f.equals("nack") || f.equals("nack pli") || f.equals("ccm fir")).toList();
            Codec pipeCodec = new Codec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp(), fb,
                    c.rtxPayloadType());
            HeaderExtensions e = t.extensions();
            HeaderExtensions pipeExt = new HeaderExtensions(e.mid(), e.absSendTime(), 0, e.audioLevel(), 0, 0);
            long ssrc = next++;
            long rtx = c.rtxPayloadType() >= 0 ? next++ : 0;
            out.add(new TrackParameters(t.kind(), t.mid(), pipeCodec, ssrc, rtx, pipeExt));
        }
        return List.copyOf(out);
    }

    /** One relay worker's router and its pipe from the origin. */
    private final class Relay {
        final MediaLane lane;
        final HostedRouter hosted;
        final WorkerPipe pipe;
        /** The pipe's viewer on the origin router; origin lane only. */
        ViewerHandle originHandle;

        Relay(MediaLane lane, HostedRouter hosted, WorkerPipe pipe) {
            this.lane = lane;
            this.hosted = hosted;
            this.pipe = pipe;
        }

        /** Any thread: the pipe stops at once; the relay router closes on its lane, the origin's end on the origin's. */
        void close() {
            if (pipe.isClosed()) return;
            pipe.close();
            runOn(lane, hosted::close);
            runOn(origin, () -> {
                if (originHandle != null) originHandle.close();
            });
        }

        private static void runOn(MediaLane lane, Runnable task) {
            if (lane.onLane()) {
                task.run();
                return;
            }
            try {
                lane.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The lane has stopped with the engine: its routers went with it.
            }
        }
    }
}
