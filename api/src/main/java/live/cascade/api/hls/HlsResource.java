package live.cascade.api.hls;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.access.ViewerAccess;
import live.cascade.api.playback.PlaybackToken;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenCheck;
import live.cascade.api.playback.TokenRefusals;
import live.cascade.hls.LiveOutput;
import live.cascade.hls.MediaTaps;
import live.cascade.hls.segment.MasterPlaylist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Serves live HLS from the API process: {@code /hls/{slug}/master.m3u8}, the renditions under
 * {@code /hls/{slug}/{broadcast}/{rendition}/}, and {@code /hls/{slug}/thumbnail.jpg} while the channel is live.
 * Open CORS (players live on other sites).
 *
 * <p>Playback tokens (docs/hls.md, "Playback tokens"): the master playlist is where a player gets its token. The server
 * writes it into the variant URIs of the master playlist it serves ({@code index.m3u8?token=…}) rather than
 * redirecting to {@code master.m3u8?token=…}: no extra round trip, nothing for a cache to keep (the master is
 * {@code private, no-cache} either way), and no dependence on whether a player resolves relative URIs against the URL
 * it asked for or the one it was redirected to (players differ). A player that reloads the master with its token keeps
 * its session and gets a fresh expiry. Media playlists need a valid token for the channel (else 403); the token's
 * session is the viewer that is counted. Segments, initialization segments and parts need none: their URIs name the
 * broadcast by 64 random bits that only a media playlist gives away, and staying the same for every viewer they stay
 * cacheable ({@code public, immutable}).
 */
public final class HlsResource {
    private static final String PLAYLIST = "application/vnd.apple.mpegurl";

    private final MediaTaps taps;
    private final HlsViewers viewers;
    private final PlaybackTokens tokens;
    private final TokenRefusals refusals;
    private final ViewerAccess access;
    private final LowLatencyHlsResource lowLatency = new LowLatencyHlsResource();
    private final java.util.function.Function<String, java.util.Optional<String>> originElsewhere;

    /** Thrown to answer 302 to the same path on the channel's origin. */
    private static ApiException redirect(String location) {
        return new ApiException(302, "Found", "This channel's HLS is served by its origin node: " + location).header("Location", location);
    }

    /**
     * @param originElsewhere a slug's origin node's HTTP base when the channel is live on another node (issue 21): its
     *                        HLS is made there, so this node redirects to it rather than making a second ladder
     */
    public HlsResource(MediaTaps taps, HlsViewers viewers, PlaybackTokens tokens, TokenRefusals refusals, ViewerAccess access,
                       java.util.function.Function<String, java.util.Optional<String>> originElsewhere) {
        this.originElsewhere = originElsewhere;
        this.access = access;
        this.taps = taps;
        this.refusals = refusals;
        this.viewers = viewers;
        this.tokens = tokens;
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
        java.util.Optional<LiveOutput> here = taps.live(slug);
        if (here.isPresent()) return here.get();
        // Live on another node: the ladder is made once, on the origin; a caching proxy in front of this node
        // (docs/operations.md) keeps the segments close to the viewers.
        java.util.Optional<String> origin = originElsewhere.apply(slug);
        if (origin.isPresent()) {
            String query = ctx.queryString();
            throw redirect(origin.get() + ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query));
        }
        if (!taps.settings().liveEnabled()) throw ApiException.notFound("This node serves no live HLS (--hls-ladder off).");
        throw ApiException.notFound("Channel '" + slug + "' is not live on this node.");
    }

    private void master(Context ctx) {
        cors(ctx);
        String given = ctx.queryParam("token");
        long privateId = access.privateChannelId(ctx.pathParam("slug"));
        // A private channel opens to a viewer token, or to a private playback token from an earlier master (renewal).
        boolean privateOk = privateId == 0 || access.opens(privateId, given) || (tokens.check(given, privateId) instanceof TokenCheck.Valid v
                && v.token().entitlement() == PlaybackToken.Entitlement.PRIVATE && !v.token().shared());
        if (!privateOk) throw refused(TokenRefusals.Why.PRIVATE, ViewerAccess.privateDetail(ctx.pathParam("slug"), "as ?token= on the master playlist URL"));
        LiveOutput out = live(ctx);
        PlaybackToken.Entitlement entitlement = privateId == 0 ? PlaybackToken.Entitlement.PUBLIC : PlaybackToken.Entitlement.PRIVATE;
        if (!out.live()) throw ApiException.notFound("Channel '" + out.slug() + "' is not live any more.");
        MasterPlaylist m = out.master().orElseThrow(() -> new ApiException(503, "Service Unavailable",
                "Channel '" + out.slug() + "' just went live; its first HLS segments are being made.").header("Retry-After", "2"));
        // The player's own session when it brings its (genuine) token back; otherwise, a forged one included, a new
        // session. Counting only starts with media playlists, so minting here adds no viewer.
        String token = switch (tokens.check(ctx.queryParam("token"), out.channelId())) {
            case TokenCheck.Valid v when !v.token().shared() && v.token().entitlement() == entitlement -> tokens.renew(v.token());
            case TokenCheck.Expired e when !e.token().shared() && e.token().entitlement() == entitlement -> tokens.renew(e.token());
            default -> tokens.issue(out.channelId(), entitlement);
        };
        ctx.header("Cache-Control", "private, no-cache").contentType(PLAYLIST).result(m.render("?token=" + token));
    }

    private void rendition(Context ctx) throws IOException {
        cors(ctx);
        LiveOutput out = live(ctx);
        String file = ctx.pathParam("file");
        ApiException missing = ApiException.notFound("No " + ctx.path() + " in this broadcast.");
        if (!out.id().equals(ctx.pathParam("broadcast"))) throw missing;
        boolean playlist = file.endsWith(".m3u8");
        if (playlist) admit(ctx, out);
        if (lowLatency.serve(ctx, out, ctx.pathParam("rendition"), file)) return;
        Path p = out.renditionFile(ctx.pathParam("rendition"), file).orElseThrow(() -> missing);
        byte[] body;
        try {
            body = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw missing; // slid out of the window (or not written yet)
        }
        if (playlist) {
            ctx.header("Cache-Control", "no-cache").contentType(PLAYLIST).result(body);
        } else {
            ctx.header("Cache-Control", "public, max-age=86400, immutable")
                    .contentType(file.endsWith(".m4s") ? "video/iso.segment" : "video/mp4").result(body);
        }
    }

    /**
     * A media playlist needs the channel's playback token; its session is the viewer counted. An expired token is still
     * good for a session that is being counted right now: a player that keeps polling is never cut off mid-broadcast,
     * while a token picked up later has to go back to the master playlist.
     */
    private void admit(Context ctx, LiveOutput out) {
        TokenCheck check = tokens.check(ctx.queryParam("token"), out.channelId());
        String master = "/hls/" + out.slug() + "/master.m3u8";
        PlaybackToken token = switch (check) {
            case TokenCheck.Valid v when v.token().shared() -> throw refused(TokenRefusals.Why.SHARED, "This is a channel's "
                    + "shared token (from a VOD playlist); live playlists need a viewer's own: load " + master + " and follow its URLs.");
            case TokenCheck.Valid v -> v.token();
            case TokenCheck.Expired e when viewers.active(out, e.token().session()) -> e.token();
            case TokenCheck.Expired e -> throw refused(TokenRefusals.Why.EXPIRED, "The playback token expired at "
                    + e.token().expiresAt() + ": load the master playlist again (" + master + ") for a fresh one.");
            case TokenCheck.Refused r -> throw refused(TokenRefusals.Why.of(r.reason()), r.reason().detail() + " (" + master + ")");
        };
        if (token.entitlement() != PlaybackToken.Entitlement.PRIVATE && access.isPrivate(out.channelId())) {
            throw refused(TokenRefusals.Why.PRIVATE, ViewerAccess.privateDetail(out.slug(), "as ?token= on the master playlist URL"));
        }
        viewers.seen(out, token.session(), ClientAddress.limitKey(ClientAddress.of(ctx)));
    }

    private ApiException refused(TokenRefusals.Why why, String detail) {
        refusals.count(why);
        return ApiException.forbidden(detail).header("Cache-Control", "no-store");
    }

    private void thumbnail(Context ctx) throws IOException {
        cors(ctx);
        LiveOutput out = live(ctx);
        Path p = out.thumbnail().filter(x -> out.live()).orElseThrow(() -> ApiException.notFound("No thumbnail of '" + out.slug() + "' yet."));
        ctx.header("Cache-Control", "public, max-age=10").contentType("image/jpeg").result(Files.readAllBytes(p));
    }

}
