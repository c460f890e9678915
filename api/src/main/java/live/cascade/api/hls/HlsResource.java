package live.cascade.api.hls;

import live.cascade.api.http.ClientAddress;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import live.cascade.api.http.ApiException;
import live.cascade.hls.LiveOutput;
import live.cascade.hls.MediaTaps;
import live.cascade.hls.segment.MasterPlaylist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves live HLS from the API process: {@code /hls/{slug}/master.m3u8}, the renditions under
 * {@code /hls/{slug}/{broadcast}/{rendition}/}, and {@code /hls/{slug}/thumbnail.jpg} while the channel is live.
 * Open CORS (players live on other sites); segments are immutable (their URIs name the broadcast), playlists are not
 * cached. Every playlist fetch counts the player as an active viewer.
 */
public final class HlsResource {
    static final String COOKIE = "cascade_hls";
    private static final String PLAYLIST = "application/vnd.apple.mpegurl";

    private final MediaTaps taps;
    private final HlsViewers viewers;
    private final boolean secureCookies;
    private final LowLatencyHlsResource lowLatency = new LowLatencyHlsResource();

    public HlsResource(MediaTaps taps, HlsViewers viewers, boolean secureCookies) {
        this.taps = taps;
        this.viewers = viewers;
        this.secureCookies = secureCookies;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/hls/{slug}/master.m3u8", this::master);
        cfg.routes.get("/hls/{slug}/thumbnail.jpg", this::thumbnail);
        cfg.routes.get("/hls/{slug}/{broadcast}/{rendition}/{file}", this::rendition);
        cfg.routes.options("/hls/{slug}/master.m3u8", ctx -> cors(ctx).status(204));
        cfg.routes.options("/hls/{slug}/thumbnail.jpg", ctx -> cors(ctx).status(204));
        cfg.routes.options("/hls/{slug}/{broadcast}/{rendition}/{file}", ctx -> cors(ctx).status(204));
    }

    private static Context cors(Context ctx) {
        return ctx.header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                .header("Access-Control-Allow-Headers", "Range")
                .header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Age, Date");
    }

    private LiveOutput live(Context ctx) {
        String slug = ctx.pathParam("slug");
        if (!taps.settings().liveEnabled()) throw ApiException.notFound("This node serves no live HLS (--hls-ladder off).");
        return taps.live(slug).orElseThrow(() -> ApiException.notFound("Channel '" + slug + "' is not live on this node."));
    }

    private void master(Context ctx) {
        cors(ctx);
        LiveOutput out = live(ctx);
        if (!out.live()) throw ApiException.notFound("Channel '" + out.slug() + "' is not live any more.");
        MasterPlaylist m = out.master().orElseThrow(() -> new ApiException(503, "Service Unavailable",
                "Channel '" + out.slug() + "' just went live; its first HLS segments are being made.").header("Retry-After", "2"));
        String token = ctx.queryParam("hv");
        if (!HlsViewers.validToken(token)) token = ctx.cookie(COOKIE);
        if (!HlsViewers.validToken(token)) token = HlsViewers.newToken();
        Cookie c = new Cookie(COOKIE, token);
        c.setPath("/hls/");
        c.setHttpOnly(true);
        c.setSameSite(SameSite.LAX);
        c.setSecure(secureCookies || ClientAddress.viaHttps(ctx));
        c.setMaxAge(6 * 3600);
        ctx.cookie(c);
        viewers.seen(out, token);
        ctx.header("Cache-Control", "private, no-cache").contentType(PLAYLIST).result(m.render("?hv=" + token));
    }

    private void rendition(Context ctx) throws IOException {
        cors(ctx);
        LiveOutput out = live(ctx);
        String file = ctx.pathParam("file");
        ApiException missing = ApiException.notFound("No " + ctx.path() + " in this broadcast.");
        if (!out.id().equals(ctx.pathParam("broadcast"))) throw missing;
        if (lowLatency.serve(ctx, out, ctx.pathParam("rendition"), file, () -> viewers.seen(out, viewerKey(ctx)))) return;
        Path p = out.renditionFile(ctx.pathParam("rendition"), file).orElseThrow(() -> missing);
        byte[] body;
        try {
            body = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw missing; // slid out of the window (or not written yet)
        }
        if (file.endsWith(".m3u8")) {
            viewers.seen(out, viewerKey(ctx));
            ctx.header("Cache-Control", "no-cache").contentType(PLAYLIST).result(body);
        } else {
            ctx.header("Cache-Control", "public, max-age=86400, immutable")
                    .contentType(file.endsWith(".m4s") ? "video/iso.segment" : "video/mp4").result(body);
        }
    }

    /** The player's token (from the master playlist), else one derived from its address and user agent. */
    private static String viewerKey(Context ctx) {
        String token = ctx.queryParam("hv");
        if (HlsViewers.validToken(token)) return token;
        token = ctx.cookie(COOKIE);
        if (HlsViewers.validToken(token)) return token;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((ClientAddress.of(ctx) + "|" + ctx.userAgent()).getBytes(StandardCharsets.UTF_8));
            return "a" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void thumbnail(Context ctx) throws IOException {
        cors(ctx);
        LiveOutput out = live(ctx);
        Path p = out.thumbnail().filter(x -> out.live()).orElseThrow(() -> ApiException.notFound("No thumbnail of '" + out.slug() + "' yet."));
        ctx.header("Cache-Control", "public, max-age=10").contentType("image/jpeg").result(Files.readAllBytes(p));
    }

}
