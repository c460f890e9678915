package live.cascade.api.web;

import io.javalin.http.Context;
import live.cascade.api.http.ApiException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code /static/<path>}: the app's scripts, styles, images and vendored libraries. Every response carries a
 * strong ETag from the content and {@code Cache-Control: no-cache}, so browsers revalidate (a cheap 304) and a node
 * upgrade is never hidden behind a stale cached module.
 */
final class StaticAssets {
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8",
            "webmanifest", "application/manifest+json");

    record Asset(byte[] body, String etag, String contentType) {
    }

    private final AssetSource source;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    StaticAssets(AssetSource source) {
        this.source = source;
    }

    /** The asset at a relative path, or null; cached unless the source is a live folder. */
    Asset find(String path) {
        Asset cached = cache.get(path);
        if (cached != null) return cached;
        String type = contentType(path);
        if (type == null) return null;
        byte[] body = source.read(path);
        if (body == null) return null;
        Asset asset = new Asset(body, etag(body), type);
        if (!source.live()) cache.put(path, asset);
        return asset;
    }

    void serve(Context ctx) {
        String path = ctx.pathParam("path");
        Asset asset = find(path);
        // index.html and embed.html are templates: only their rendered form, at the page routes, is served.
        if (asset == null || path.endsWith(".html")) throw ApiException.notFound("Nothing lives at " + ctx.path() + ".");
        ctx.header("ETag", asset.etag());
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        String match = ctx.header("If-None-Match");
        if (match != null && match.contains(asset.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.body());
    }

    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
