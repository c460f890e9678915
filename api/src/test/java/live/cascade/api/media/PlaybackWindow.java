package live.cascade.api.media;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * What a viewer's getStats() says happened to its video over a stretch of playback: frames decoded, freezes, losses
 * and repairs, as differences between the snapshots at both ends. The longest stretch without a new decoded frame is
 * tracked at the poll resolution (about 0.25 s), so a stall cannot hide inside a window whose total looks fine.
 */
public record PlaybackWindow(double seconds, long framesDecoded, long freezes, double freezeSeconds, long packetsReceived,
                             long packetsLost, long nacksSent, long retransmittedReceived, long longestStallMillis,
                             JsonNode first, JsonNode last) {

    public double framesPerSecond() {
        return framesDecoded / seconds;
    }

    /** Polls the viewer for {@code length}, failing at once if no new frame is decoded for {@code maxStall}. */
    public static PlaybackWindow measure(Viewer viewer, Duration length, Duration maxStall, java.util.function.Supplier<String> diagnostics) {
        JsonNode first = viewer.stats();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long lastFrames = Viewer.framesDecoded(first);
        long lastProgress = start;
        long longestStall = 0;
        JsonNode last = first;
        while (System.nanoTime() < end) {
            sleepQuietly(250);
            last = viewer.stats();
            long now = System.nanoTime();
            if (Viewer.framesDecoded(last) > lastFrames) {
                lastFrames = Viewer.framesDecoded(last);
                lastProgress = now;
            } else if (now - lastProgress > maxStall.toNanos()) {
                throw new AssertionError("no video frame decoded for " + (now - lastProgress) / 1_000_000 + " ms\nlast stats: "
                        + last.toPrettyString() + "\n" + diagnostics.get());
            }
            longestStall = Math.max(longestStall, (now - lastProgress) / 1_000_000);
        }
        last = viewer.stats();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new PlaybackWindow(seconds, Viewer.framesDecoded(last) - Viewer.framesDecoded(first),
                video(last, "freezeCount") - video(first, "freezeCount"),
                last.at("/pc/inbound/video/totalFreezesDuration").asDouble() - first.at("/pc/inbound/video/totalFreezesDuration").asDouble(),
                video(last, "packetsReceived") - video(first, "packetsReceived"),
                video(last, "packetsLost") - video(first, "packetsLost"),
                video(last, "nackCount") - video(first, "nackCount"),
                video(last, "retransmittedPacketsReceived") - video(first, "retransmittedPacketsReceived"),
                longestStall, first, last);
    }

    private static long video(JsonNode s, String field) {
        return s.at("/pc/inbound/video/" + field).asLong();
    }

    /** The poll interval between stats reads; not a stand-in for an assertion. */
    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public String describe() {
        return String.format("%.1f s: %d frames decoded (%.1f fps), %d freezes (%.2f s frozen), longest stall %d ms; "
                        + "video packets received %d, lost %d, NACKs sent %d, retransmissions received %d",
                seconds, framesDecoded, framesPerSecond(), freezes, freezeSeconds, longestStallMillis, packetsReceived,
                packetsLost, nacksSent, retransmittedReceived);
    }
}
