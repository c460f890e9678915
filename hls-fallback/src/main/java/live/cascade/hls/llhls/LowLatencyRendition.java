package live.cascade.hls.llhls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * One rendition's low-latency state: its {@link LowLatencyPlaylist} and parts in memory, written by the tap's thread
 * (the segmenter's part callbacks) and read by request threads. A blocking playlist request is a
 * {@link CompletableFuture} parked here and completed by the tap's thread when the awaited part is published: no thread
 * waits for it. Full segments and initialization segments are written to disk by the plain HLS output; this class only
 * names them the same way ({@code N.m4s}, {@code init-K.mp4}: both count the same calls from the same segmenter).
 */
public final class LowLatencyRendition {
    private record Waiter(ReloadRequest request, CompletableFuture<Void> future) {
    }

    private final String name;
    private final LowLatencyPlaylist playlist;
    private final LongFunction<Instant> wallClock;
    private final Runnable changed;
    private final List<Waiter> waiters = new ArrayList<>();
    private int initCount;

    /**
     * @param wallClock the publisher's wall-clock time of a timeline position, or null
     * @param changed   runs after every change and before waiting requests are released (so what they render is new)
     */
    LowLatencyRendition(String name, int window, int targetDuration, long partTargetMicros, LongFunction<Instant> wallClock,
                        Runnable changed) {
        this.name = name;
        this.playlist = new LowLatencyPlaylist(window, targetDuration, partTargetMicros);
        this.wallClock = wallClock;
        this.changed = changed;
    }

    public String name() { return name; }

    // ------------------------------------------------------------------ from the tap's thread

    /** The plain output wrote {@code init-K.mp4}. */
    public void onInit() {
        synchronized (this) {
            playlist.map("init-" + initCount++ + ".mp4");
        }
    }

    public void onPartStart(long startMicros, boolean independent) {
        Instant pdt = wallClock == null ? null : wallClock.apply(startMicros);
        synchronized (this) {
            playlist.startPart(startMicros, independent, pdt);
        }
        publish(); // the preload hint moved
    }

    public void onPartChunk(byte[] chunk) {
        Part open;
        synchronized (this) {
            open = playlist.openPart();
        }
        // Appended outside this lock: PartBytes has its own, and readers streaming the part wake up.
        if (open != null) open.bytes().append(chunk);
    }

    public void onPartEnd(long endMicros) {
        synchronized (this) {
            playlist.endPart(endMicros);
        }
        publish();
    }

    /**
     * The segmenter failed and starts over at the next boundary: the segment being made will have no file, so its
     * parts go too, and what follows is a discontinuity.
     */
    public void onPartAbandoned() {
        synchronized (this) {
            playlist.abandonSegment();
        }
        publish();
    }

    /** The plain output wrote segment {@code N.m4s} (the parts so far, concatenated). */
    public void onSegment(long durationMicros, boolean discontinuity) {
        synchronized (this) {
            playlist.completeSegment(durationMicros, discontinuity);
        }
        publish();
    }

    /** The broadcast ended: every waiting request is answered with the final playlist. */
    public void end() {
        synchronized (this) {
            playlist.end();
        }
        publish();
    }

    private void publish() {
        changed.run();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.future().isDone()) {
                    it.remove(); // timed out
                } else if (playlist.satisfies(w.request())) {
                    it.remove();
                    ready.add(w.future());
                }
            }
        }
        // Completed outside the lock: the responses are rendered by whatever the futures run next.
        for (CompletableFuture<Void> f : ready) f.complete(null);
    }

    // ------------------------------------------------------------------ from request threads

    /**
     * Completes when the playlist holds what {@code r} waits for (at once when it already does, or without
     * directives). The caller bounds the wait ({@link CompletableFuture#orTimeout}).
     *
     * @throws ReloadRequest.Invalid when the request is too far ahead of the live edge (400)
     */
    public CompletableFuture<Void> await(ReloadRequest r) {
        synchronized (this) {
            if (playlist.tooFarAhead(r)) {
                throw new ReloadRequest.Invalid("_HLS_msn=" + r.msn() + " is more than two segments ahead of the live edge (the newest "
                        + "segment is " + (playlist.nextMsn() - 1) + "); reload the playlist without directives to find it.");
            }
            if (playlist.satisfies(r)) return CompletableFuture.completedFuture(null);
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.add(new Waiter(r, f));
            return f;
        }
    }

    /** The playlist as it is now. */
    public synchronized String render(boolean delta, List<RenditionReport> reports) {
        return playlist.render(delta, reports);
    }

    /** A part that is listed or being written (the preload hint), if any. */
    public synchronized Optional<Part> part(long msn, int index) {
        return Optional.ofNullable(playlist.part(msn, index));
    }

    /** Whether the preload hint names this part (it is being written, or is the next one). */
    public synchronized boolean hinted(long msn, int index) {
        return !playlist.ended() && playlist.preloadHintUri().equals(Part.uri(msn, index));
    }

    /** Where this rendition's live edge is, for the other renditions' reports. */
    public synchronized RenditionReport report(String relativeUri) {
        return new RenditionReport(relativeUri, playlist.lastMsn(), playlist.lastPart());
    }

    public synchronized int targetDuration() { return playlist.targetDuration(); }

    public synchronized boolean ended() { return playlist.ended(); }

    /** Requests parked now (for tests and metrics). */
    public synchronized int waiting() {
        waiters.removeIf(w -> w.future().isDone());
        return waiters.size();
    }
}
