package live.cascade.api.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write chat frames to sockets: a few lanes, each one thread, each socket pinned to one lane. One
 * lane runs its tasks in order, so every socket sees a channel's events in the order they happened, while a busy
 * channel's sockets are spread over all lanes and so over all cores.
 */
final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final ExecutorService[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    FanOut(int laneCount) {
        if (laneCount < 1) throw new IllegalArgumentException("laneCount must be at least 1");
        lanes = new ExecutorService[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("chat-fanout-" + i).factory());
        }
    }

    int laneCount() {
        return lanes.length;
    }

    /** The lane for a new socket, round robin. */
    int assign() {
        return Math.floorMod(next.getAndIncrement(), lanes.length);
    }

    void run(int lane, Runnable task) {
        try {
            lanes[lane].execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("chat fan-out task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the sockets are being closed anyway.
        }
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) lane.shutdown();
        for (ExecutorService lane : lanes) {
            try {
                if (!lane.awaitTermination(2, TimeUnit.SECONDS)) lane.shutdownNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lane.shutdownNow();
            }
        }
    }
}
