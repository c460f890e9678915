package live.cascade.sfu.net;

import static org.assertj.core.api.Assertions.assertThat;

import live.cascade.sfu.os.ThreadNice;
import org.junit.jupiter.api.Test;

/**
 * A media worker's thread asks for a higher CPU priority than the node's other threads (issue 16: a worker that waits
 * for a core sends its feedback late). Where the raise is not allowed (not root, no {@code LimitNICE}) the worker
 * keeps the nice value it started with; CI runs as root, where it is.
 */
class WorkerPriorityTest {
    @Test
    void aWorkerThreadRunsAtTheRaisedNiceValueWhileTheThreadThatBoundItAndTheThreadsItStartsDoNot() throws Exception {
        int callerBefore = ThreadNice.niceOf(ThreadNice.currentThreadId());
        boolean[] allowed = new boolean[1];
        Thread probe = Thread.ofPlatform().start(() -> allowed[0] = ThreadNice.setCurrentThread(MediaWorker.WORKER_NICE).isEmpty());
        probe.join();
        try (WorkerFixture f = new WorkerFixture(false)) {
            int workerNice = f.worker.call(() -> ThreadNice.niceOf(ThreadNice.currentThreadId()));
            assertThat(workerNice).as("the worker thread's nice value (raising allowed here: %s)", allowed[0])
                    .isEqualTo(allowed[0] ? MediaWorker.WORKER_NICE : callerBefore);
            // A pool the worker happens to start (the broadcast lifecycle runs on it) must not inherit the raise.
            int startedNice = f.worker.call(() -> {
                int[] seen = new int[1];
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        seen[0] = ThreadNice.niceOf(ThreadNice.currentThreadId());
                    } catch (java.io.IOException e) {
                        seen[0] = Integer.MIN_VALUE;
                    }
                });
                t.join();
                return seen[0];
            });
            assertThat(startedNice).as("a thread the worker started").isEqualTo(allowed[0] ? 0 : callerBefore);
        }
        assertThat(ThreadNice.niceOf(ThreadNice.currentThreadId())).as("the binding thread's").isEqualTo(callerBefore);
    }
}
