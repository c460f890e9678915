package live.cascade.api.web;

import io.javalin.http.Context;

/**
 * The headers every page gets. The Content-Security-Policy allows only this origin's scripts and styles (the app
 * has no inline script or style), images from https (avatars and banners are links to anywhere), media from blob:
 * (hls.js feeds Media Source buffers) and workers from blob: (hls.js starts its transmuxing worker that way). With
 * object storage, recordings, posters and VOD segments come from the store's origin (a redirect to a presigned URL),
 * so media, images and fetches may come from there too. In a fleet, fetches may go to the other nodes: a player
 * whose node died plays from another one (WHEP, its events, the probe that tells a dead node from a slow one).
 */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    /** {@code fleetOrigins}: the other nodes' origins, each after a space ("" for none), which players may connect to. */
    static void page(Context ctx, boolean embeddable, String mediaOrigin, String fleetOrigins) {
        String store = mediaOrigin.isEmpty() ? "" : " " + mediaOrigin;
        String host = ctx.header("Host");
        // 'self' covers ws/wss of the same host in current browsers; naming them keeps older ones working.
        String sockets = host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]+") ? "" : " ws://" + host + " wss://" + host;
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' https: data: blob:" + store + "; media-src 'self' blob:" + store + "; connect-src 'self'" + sockets + store + fleetOrigins + "; "
                + "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors " + (embeddable ? "*" : "'self'"));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        // The studio needs camera, microphone and screen capture; an embedded player needs none of them.
        ctx.header("Permissions-Policy", embeddable ? "camera=(), microphone=(), display-capture=()"
                : "camera=(self), microphone=(self), display-capture=(self)");
        if (!embeddable) ctx.header("X-Frame-Options", "SAMEORIGIN");
    }
}
