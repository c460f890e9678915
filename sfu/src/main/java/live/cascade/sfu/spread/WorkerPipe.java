package live.cascade.sfu.spread;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * A pipe between two media workers for one channel, as mediasoup pipes a producer between routers: on the origin
 * worker it is a viewer of the channel's router ({@link #originSide()}, a {@link MediaTransport} that never
 * encrypts), on the relay worker the publisher of a relay router ({@link #relaySide()} and {@link #bindRelay}). The
 * origin router's packets for it (rewritten once, as for any viewer) go through one {@link PacketRing} to the relay
 * worker, once per packet however many viewers the relay worker serves; the relay router's RTCP (receiver reports,
 * NACKs, PLI/FIR) comes back through another, into the origin router's handling of this viewer, so a relay worker's
 * keyframe requests meet the channel's one throttle and its repairs come from the publisher's history.
 *
 * <p>Each direction wakes its consumer with one task per batch, not per packet: a flag says a drain is scheduled; the
 * producer schedules one only when it flips the flag, and the drain clears the flag before it reads the ring (both
 * volatile, so a packet published as the drain goes idle is either seen by it or schedules the next). The drain runs
 * in write batches of {@link #FLUSH_EVERY} packets on its worker, so what it sends to viewers leaves in one flush per
 * batch, as after one socket read batch.
 */
public final class WorkerPipe {
    static final int TAG_RTP = 0;
    static final int TAG_RTCP = 1;
    /** Packets handled per drain before the worker gets to run other work (the rest is drained next). */
    static final int DRAIN_BATCH = 128;
    /**
     * Packets per write batch (one flush each), about one socket read batch: a relay worker that drained a backlog
     * in one batch queued its whole fan-out before flushing and went past the socket's high-water mark.
     */
    static final int FLUSH_EVERY = 16;

    private final Direction toRelay;
    private final Direction toOrigin;
    /** Relay thread only: the relay router's publisher receiver. */
    private MediaReceiver relayReceiver;
    /** Origin thread only: the origin router's RTCP input for this pipe's viewer. */
    private MediaReceiver originReceiver;
    private volatile boolean closed;
    private volatile long unbound;
    private volatile long relayRtpIgnored;

    private final MediaTransport originSide = new MediaTransport() {
        @Override public void sendRtp(byte[] buf, int off, int len) { toRelay.send(TAG_RTP, buf, off, len); }
        @Override public void sendRtcp(byte[] buf, int off, int len) { toRelay.send(TAG_RTCP, buf, off, len); }
    };

    private final MediaTransport relaySide = new MediaTransport() {
        @Override public void sendRtp(byte[] buf, int off, int len) {
            relayRtpIgnored = relayRtpIgnored + 1; // a router sends its publisher only RTCP
        }
        @Override public void sendRtcp(byte[] buf, int off, int len) { toOrigin.send(TAG_RTCP, buf, off, len); }
    };

    /**
     * @param origin       runs tasks on the origin worker
     * @param originBatch  runs a task on the origin worker as one write batch (one flush at its end)
     * @param relay        runs tasks on the relay worker
     * @param relayBatch   as {@code originBatch}, on the relay worker
     * @param downSlots    packets the origin → relay ring holds (a power of two)
     * @param slotSize     largest packet plus the tail room the receiving side needs
     */
    public WorkerPipe(Executor origin, Consumer<Runnable> originBatch, Executor relay, Consumer<Runnable> relayBatch,
                      int downSlots, int upSlots, int slotSize) {
        this.toRelay = new Direction(new PacketRing(downSlots, slotSize), relay, relayBatch, this::onRelay);
        this.toOrigin = new Direction(new PacketRing(upSlots, slotSize), origin, originBatch, this::onOrigin);
    }

    /** What the origin router sends to (add it there as a viewer, without pacing). */
    public MediaTransport originSide() { return originSide; }

    /** What the relay router's publisher link sends its RTCP to. */
    public MediaTransport relaySide() { return relaySide; }

    /** Relay thread: where the packets from the origin go (the relay router's publisher receiver). */
    public void bindRelay(MediaReceiver receiver) { this.relayReceiver = receiver; }

    /** Origin thread: where the relay's RTCP goes (the origin router's input for this pipe's viewer). */
    public void bindOrigin(MediaReceiver receiver) { this.originReceiver = receiver; }

    /** Any thread: nothing more is carried either way; packets sent later are dropped. Idempotent. */
    public void close() { closed = true; }

    public boolean isClosed() { return closed; }

    /** Origin → relay packets dropped because the ring was full (the relay router NACKs the video ones). */
    public long droppedToRelay() { return toRelay.ring.dropped() + toRelay.ring.oversize(); }

    /** Relay → origin RTCP packets dropped because the ring was full. */
    public long droppedToOrigin() { return toOrigin.ring.dropped() + toOrigin.ring.oversize(); }

    /** Packets drained before their receiving side was bound (or after close), dropped. */
    public long unbound() { return unbound; }

    private void onRelay(int tag, byte[] buf, int off, int len) {
        MediaReceiver r = relayReceiver;
        if (r == null || closed) {
            unbound = unbound + 1; // only the relay thread writes this one
            return;
        }
        if (tag == TAG_RTP) r.onRtp(buf, off, len);
        else r.onRtcp(buf, off, len);
    }

    private void onOrigin(int tag, byte[] buf, int off, int len) {
        MediaReceiver r = originReceiver;
        if (r == null || closed) return;
        r.onRtcp(buf, off, len);
    }

    /** One direction: its ring, and the wake-up of the worker that drains it. */
    private final class Direction implements Runnable {
        final PacketRing ring;
        private final Executor executor;
        private final Consumer<Runnable> batch;
        private final PacketRing.Handler handler;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Runnable chunkTask = this::drainChunk;
        private int lastDrained;

        Direction(PacketRing ring, Executor executor, Consumer<Runnable> batch, PacketRing.Handler handler) {
            this.ring = ring;
            this.executor = executor;
            this.batch = batch;
            this.handler = handler;
        }

        /** Producer thread. */
        void send(int tag, byte[] buf, int off, int len) {
            if (closed || !ring.offer(tag, buf, off, len)) return;
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) schedule();
        }

        private void schedule() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // The consumer's worker has stopped (the engine is closing): nothing will drain this pipe again.
                closed = true;
            }
        }

        /** Consumer thread: the scheduled task. */
        @Override
        public void run() {
            scheduled.set(false);
            int n = 0;
            do {
                batch.accept(chunkTask); // up to FLUSH_EVERY packets, then their sends are flushed
                n += lastDrained;
                if (n >= DRAIN_BATCH * 4 && lastDrained > 0) {
                    // A long backlog: let the worker's own sockets and timers in between, and come back.
                    if (!ring.isEmpty() && scheduled.compareAndSet(false, true)) schedule();
                    return;
                }
            } while (lastDrained > 0);
        }

        private void drainChunk() { lastDrained = ring.drain(handler, FLUSH_EVERY); }
    }
}
