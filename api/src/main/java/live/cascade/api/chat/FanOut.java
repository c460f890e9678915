package live.cascade.api.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write chat frames to sockets: a few lanes, each one thread, each socket pinned to one lane. A
 * lane handles deliveries in order, so every socket sees a channel's events in the order they happened, while a busy
 * channel's sockets are spread over all lanes and so over all cores.
 *
 * <p>A lane takes every delivery that is waiting when it wakes and, per socket, writes all of that channel's frames
 * in one flush (Jetty batches them), so when events come faster than one at a time can be written, the cost per
 * frame falls instead of the queue growing. An idle lane writes each event at once, alone.
 */
final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    /** Deliveries one lane merges at most into one pass over the sockets. */
    static final int MAX_BATCH = 64;

    /** One event for the sockets of {@code room} on a lane; {@code bannedUser} (0: none) is closed afterwards. */
    record Delivery(ChatRoom room, SerializedFrame frame, long bannedUser) {
    }

    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * {@code coalesce}: how long a lane that wakes for one delivery waits for more before writing, so that a socket's
     * frames of that moment go out in one write (0: write at once).
     */
    FanOut(int laneCount, Duration coalesce) {
        if (laneCount < 1) throw new IllegalArgumentException("laneCount must be at least 1");
        if (coalesce.isNegative()) throw new IllegalArgumentException("coalesce must not be negative");
        lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) lanes[i] = new Lane(i, coalesce.toNanos());
    }

    int laneCount() {
        return lanes.length;
    }

    /** The lane for a new socket, round robin. */
    int assign() {
        return Math.floorMod(next.getAndIncrement(), lanes.length);
    }

    void deliver(int lane, Delivery d) {
        lanes[lane].queue.add(d);
    }

    @Override
    public void close() {
        for (Lane l : lanes) l.thread.interrupt();
        for (Lane l : lanes) {
            try {
                l.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Lane {
        final int index;
        final long coalesceNanos;
        final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Lane(int index, long coalesceNanos) {
            this.index = index;
            this.coalesceNanos = coalesceNanos;
            this.thread = Thread.ofPlatform().daemon().name("chat-fanout-" + index).start(this::run);
        }

        private void run() {
            List<Delivery> batch = new ArrayList<>(MAX_BATCH);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Delivery first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    if (coalesceNanos > 0) gather(batch, System.nanoTime() + coalesceNanos);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                    write(batch);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("chat fan-out failed", e);
                } finally {
                    batch.clear();
                }
            }
        }

        /** Adds what arrives until {@code deadline} (or the batch is full) to {@code batch}. */
        private void gather(List<Delivery> batch, long deadline) throws InterruptedException {
            while (batch.size() < MAX_BATCH) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                Delivery more = queue.poll(left, TimeUnit.NANOSECONDS);
                if (more == null) return;
                batch.add(more);
            }
        }

        private void write(List<Delivery> batch) {
            if (batch.size() == 1) {
                Delivery d = batch.getFirst();
                ChatSocket[] sockets = d.room().lane(index);
                for (ChatSocket s : sockets) s.send(d.frame(), false);
                closeBanned(sockets, d.bannedUser());
                return;
            }
            Map<ChatRoom, List<Delivery>> byRoom = new LinkedHashMap<>();
            for (Delivery d : batch) byRoom.computeIfAbsent(d.room(), r -> new ArrayList<>()).add(d);
            for (Map.Entry<ChatRoom, List<Delivery>> e : byRoom.entrySet()) {
                List<Delivery> ds = e.getValue();
                ChatSocket[] sockets = e.getKey().lane(index);
                int last = ds.size() - 1;
                for (ChatSocket s : sockets) {
                    for (int i = 0; i <= last; i++) s.send(ds.get(i).frame(), i < last);
                }
                for (Delivery d : ds) closeBanned(sockets, d.bannedUser());
            }
        }

        /** After the frames, so a banned user reads the ban before the close. */
        private static void closeBanned(ChatSocket[] sockets, long bannedUser) {
            if (bannedUser == 0) return;
            for (ChatSocket s : sockets) {
                if (s.userId() == bannedUser) s.fail(ChatError.BANNED, "You have been banned from this chat.");
            }
        }
    }
}
