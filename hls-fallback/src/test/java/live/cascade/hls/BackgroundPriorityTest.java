package live.cascade.hls;

import live.cascade.sfu.os.ThreadNice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    @Test
    void aLoweredThreadAndTheThreadsItStartsRunAtTheTapsNiceValueWhileOthersKeepTheirs() throws Exception {
        // The node runs on Linux; a machine without per-thread /proc fails here rather than skipping.
        assertThat(Files.isSymbolicLink(Path.of("/proc/thread-self"))).as("/proc/thread-self (Linux)").isTrue();
        int callerBefore = ThreadNice.niceOf(ThreadNice.currentThreadId());
        AtomicReference<Optional<String>> outcome = new AtomicReference<>();
        AtomicReference<int[]> seen = new AtomicReference<>();
        Thread tap = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(BackgroundPriority.lowerCurrentThread(BackgroundPriority.TAP_NICE));
                int own = ThreadNice.niceOf(ThreadNice.currentThreadId());
                // What FFmpeg does when it opens a codec: start threads from this one.
                int[] child = new int[1];
                Thread started = Thread.ofPlatform().start(() -> {
                    try {
                        child[0] = ThreadNice.niceOf(ThreadNice.currentThreadId());
                    } catch (java.io.IOException e) {
                        child[0] = Integer.MIN_VALUE;
                    }
                });
                started.join();
                seen.set(new int[] {own, child[0]});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        tap.join();
        assertThat(outcome.get()).isEmpty();
        assertThat(seen.get()).containsExactly(BackgroundPriority.TAP_NICE, BackgroundPriority.TAP_NICE);
        assertThat(ThreadNice.niceOf(ThreadNice.currentThreadId())).isEqualTo(callerBefore);
    }
}
