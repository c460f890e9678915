package live.cascade.api.hls;

import io.javalin.http.Context;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ProblemResponder;
import live.cascade.hls.LiveOutput;
import live.cascade.hls.llhls.LowLatencyOutput;
import live.cascade.hls.llhls.LowLatencyRendition;
import live.cascade.hls.llhls.Part;
import live.cascade.hls.llhls.ReloadRequest;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The low-latency side of a rendition's URIs, for broadcasts with low-latency HLS: {@code index.m3u8} with its
 * delivery directives ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip}) and the parts ({@code MSN.PART.m4s}).
 * Full segments and initialization segments stay with {@link HlsResource} (files on disk).
 *
 * <ul>
 *   <li>A blocking reload is held as a {@link CompletableFuture} ({@code ctx.future}) that the tap's thread completes
 *       when it publishes the awaited part: no thread waits. Not there within three target durations: 503. More than
 *       two segments ahead: 400.</li>
 *   <li>A part still being written (the preload hint) is streamed as it grows, with chunked transfer: the player gets
 *       each frame's fragment as the muxer flushes it. The handler runs on a virtual thread, which is what waits
 *       between chunks (at most one part duration).</li>
 *   <li>Caching: a blocking response describes the playlist once that part exists, which stays true, so a cache may
 *       keep it a target duration (its URL carries the viewer's playback token, so that serves the same player's
 *       retries); a non-blocking playlist is not cached; parts never change meaning (their URIs name the broadcast),
 *       need no token, and are immutable, so shared caches serve them to every viewer.</li>
 * </ul>
 */
final class LowLatencyHlsResource {
    private static final String PLAYLIST = "application/vnd.apple.mpegurl";
    private static final Pattern PART = Pattern.compile("(\\d{1,12})\\.(\\d{1,4})\\.m4s");
    private static final long HINT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Answers the request when it is a low-latency one; false when plain HLS should. */
    boolean serve(Context ctx, LiveOutput out, String rendition, String file) {
        Optional<LowLatencyOutput> ll = out.lowLatency();
        if (ll.isEmpty()) return false;
        Optional<LowLatencyRendition> r = ll.get().rendition(rendition);
        if (r.isEmpty()) return false;
        if (file.equals("index.m3u8")) {
            playlist(ctx, ll.get(), r.get());
            return true;
        }
        Matcher m = PART.matcher(file);
        if (m.matches()) {
            part(ctx, r.get(), Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
            return true;
        }
        return false;
    }

    private void playlist(Context ctx, LowLatencyOutput ll, LowLatencyRendition r) {
        ReloadRequest request;
        CompletableFuture<Void> ready;
        try {
            request = ReloadRequest.parse(ctx.queryParam("_HLS_msn"), ctx.queryParam("_HLS_part"), ctx.queryParam("_HLS_skip"));
            ready = r.await(request);
        } catch (ReloadRequest.Invalid e) {
            throw ApiException.badRequest(e.getMessage()).header("Cache-Control", "no-store");
        }
        String name = r.name();
        if (ready.isDone()) {
            respond(ctx, ll, r, request);
            return;
        }
        long timeoutSeconds = 3L * r.targetDuration();
        ctx.future(() -> ready.orTimeout(timeoutSeconds, TimeUnit.SECONDS).handle((v, error) -> {
            if (error == null) {
                respond(ctx, ll, r, request);
            } else if (unwrap(error) instanceof TimeoutException) {
                ProblemResponder.respond(ctx, new ApiException(503, "Service Unavailable", "Part " + request.part() + " of segment "
                        + request.msn() + " of " + name + " was not made within " + timeoutSeconds + " s; the stream may have stalled. "
                        + "Reload the playlist without _HLS_msn to see where it is.")
                        .header("Cache-Control", "no-store").header("Retry-After", "1"));
            } else {
                ProblemResponder.respond(ctx, new ApiException(500, "Internal Server Error", "The playlist could not be made."));
            }
            return null;
        }));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void respond(Context ctx, LowLatencyOutput ll, LowLatencyRendition r, ReloadRequest request) {
        String body = ll.render(r, request.skip());
        String cache = request.blocking() && !r.ended() ? "public, max-age=" + r.targetDuration() : "no-cache";
        ctx.header("Cache-Control", cache).contentType(PLAYLIST).result(body);
    }

    private void part(Context ctx, LowLatencyRendition r, long msn, int index) {
        Optional<Part> found = r.part(msn, index);
        if (found.isEmpty()) {
            // The part after the one just finished is hinted a moment before its first frame opens it.
            long deadline = System.nanoTime() + HINT_WAIT_NANOS;
            while (found.isEmpty() && r.hinted(msn, index) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                found = r.part(msn, index);
            }
        }
        Part p = found.orElseThrow(() -> ApiException.notFound("Part " + index + " of segment " + msn + " of " + r.name()
                + " is not listed (any more); reload the playlist and fetch a listed part or its full segment."));
        ctx.header("Cache-Control", "public, max-age=86400, immutable").contentType("video/iso.segment");
        byte[] whole = p.bytes().bytes();
        if (whole != null) {
            ctx.result(whole);
        } else {
            ctx.result(p.bytes().stream()); // no Content-Length: chunked, each fragment as it is written
        }
    }
}
