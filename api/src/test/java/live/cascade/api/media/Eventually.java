package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a page's stats until a condition holds; on timeout, fails with the last stats and extra diagnostics. */
public final class Eventually {
    private Eventually() {}

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static JsonNode await(String what, Supplier<JsonNode> stats, Predicate<JsonNode> done, Supplier<String> diagnostics) {
        return await(what, TIMEOUT, stats, done, diagnostics);
    }

    public static JsonNode await(String what, Duration timeout, Supplier<JsonNode> stats, Predicate<JsonNode> done,
                          Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (true) {
            last = stats.get();
            if (done.test(last)) return last;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + "\nlast stats: " + last.toPrettyString() + "\n" + diagnostics.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
