package live.cascade.api.safety;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.playback.PlaybackToken;
import live.cascade.api.playback.PlaybackTokens;
import live.cascade.api.playback.TokenCheck;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The age gate of mature channels on the server: WHEP offers and live HLS master playlists of a mature channel need a
 * proof that the viewer passed the gate, else 403 {@value #PROBLEM_TYPE}. The proof follows the web player's gate: a
 * signed-in viewer whose confirmed birth year makes them an adult, or an anonymous viewer who declares it
 * ({@code POST /api/age-gate}). It is a token of the one signed playback-token scheme with the
 * {@link PlaybackToken.Entitlement#AGE_CONFIRMED} entitlement for channel 0 (it never opens a playlist), good for
 * {@link #LIFETIME}, carried as {@code ?age=} on the WHEP and master playlist URLs (a query parameter rather than a
 * header, so a cross-origin player needs no extra CORS preflight). The embed page plays through the same two endpoints.
 *
 * <p>Checked in before-handlers on the request paths that start a viewing session (WHEP, the live master playlist, a
 * recording's file and VOD playlist), never per packet or segment: media playlists need the playback token only the
 * master hands out, and segments are named by unguessable ids.
 */
final class AgeGate {
    static final String PROBLEM_TYPE = "urn:cascade:age-gate";
    /** Long enough for an evening of watching, short enough that a copied link stops working the same day. */
    static final Duration LIFETIME = Duration.ofHours(6);
    static final Duration TTL = Duration.ofSeconds(2);
    private static final int MAX_CACHED = 10_000;

    private final Database db;
    private final Authenticator auth;
    private final PlaybackTokens tokens;
    private final Clock clock;
    private final Map<String, Cached> bySlug = new ConcurrentHashMap<>();

    private record Cached(boolean mature, Instant at) {
    }

    private record CachedChannel(Optional<Channel> channel, Instant at) {
    }

    private final Map<Long, CachedChannel> byRecording = new ConcurrentHashMap<>();

    record ProofRequest(Boolean confirmAdult) {
    }

    AgeGate(Database db, Authenticator auth, PlaybackTokens tokens, Clock clock) {
        this.db = db;
        this.auth = auth;
        this.tokens = tokens;
        this.clock = clock;
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.post("/api/age-gate", this::issue);
        cfg.routes.before("/api/whep/{slug}", ctx -> {
            // A relay between nodes stands in for its viewers, each of whom passed the gate on the edge.
            if (ctx.method().name().equals("POST") && ctx.header(live.cascade.whipwhep.RelayGate.PATH_HEADER) == null) {
                check(ctx, "as ?age= on the WHEP URL");
            }
        });
        // WHEP answers 307 to the channel's origin when this node cannot relay it: the proof goes along, or the origin
        // would refuse the offer that passed here.
        cfg.routes.after("/api/whep/{slug}", ctx -> {
            String proof = ctx.queryParam("age");
            String location = ctx.res().getHeader("Location");
            if (ctx.status().getCode() == 307 && proof != null && location != null && !location.contains("age=")) {
                ctx.header("Location", location + (location.contains("?") ? "&" : "?") + "age="
                        + java.net.URLEncoder.encode(proof, java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        cfg.routes.before("/hls/{slug}/master.m3u8", ctx -> {
            if (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD")) check(ctx, "as ?age= on the master playlist URL");
        });
        // Recordings of a mature channel: the file and the VOD playlist start a viewing; the playlist's segments
        // (media.mp4) carry the playback token only the playlist hands out, as live segments do.
        for (String path : new String[] {"/api/recordings/{id}/media", "/api/recordings/{id}/playlist.m3u8"}) {
            cfg.routes.before(path, ctx -> {
                if (ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD")) checkRecording(ctx);
            });
        }
    }

    /**
     * A recording's channel is looked up through the same short cache, by recording id; its owner and administrators
     * (who manage it from the dashboard) are not asked. An id that is no recording is left to the resource's 404.
     */
    private void checkRecording(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            return;
        }
        Optional<Channel> channel = recordingChannel(id);
        if (channel.isEmpty() || !channel.get().mature() || opens(ctx.queryParam("age"))) return;
        Optional<Principal> me = auth.current(ctx);
        if (me.isPresent() && (me.get().isAdmin() || me.get().id() == channel.get().ownerId())) return;
        throw ApiException.forbidden("Recording " + id + " is of channel '" + channel.get().slug() + "', which is for adults (18 or older). "
                        + "Pass its age gate first: POST /api/age-gate (signed in with a confirmed adult birth year, or "
                        + "{\"confirmAdult\": true}) gives a proof to send as ?age= on the recording's media or playlist URL; "
                        + "this request had none, or it expired.")
                .type(PROBLEM_TYPE).header("Access-Control-Allow-Origin", "*").header("Cache-Control", "no-store");
    }

    private Optional<Channel> recordingChannel(long recordingId) {
        Instant now = clock.instant();
        CachedChannel c = byRecording.get(recordingId);
        if (c != null && c.at().plus(TTL).isAfter(now)) return c.channel();
        Optional<Channel> channel;
        try {
            channel = db.recordings().findById(recordingId).flatMap(r -> db.channels().findById(r.channelId()));
        } catch (RuntimeException e) {
            return c == null ? Optional.empty() : c.channel(); // the outage rule of mature(): the last read answers
        }
        if (byRecording.size() >= MAX_CACHED) byRecording.clear();
        byRecording.put(recordingId, new CachedChannel(channel, now));
        return channel;
    }

    private void check(Context ctx, String how) {
        String slug = ctx.pathParam("slug");
        if (!mature(slug) || opens(ctx.queryParam("age"))) return;
        throw ApiException.forbidden("Channel '" + slug + "' is for adults (18 or older). Pass its age gate first: POST /api/age-gate "
                        + "(signed in with a confirmed adult birth year, or {\"confirmAdult\": true}) gives a proof to send " + how
                        + "; this request had none, or it expired.")
                .type(PROBLEM_TYPE).header("Access-Control-Allow-Origin", "*").header("Cache-Control", "no-store");
    }

    /** Whether {@code proof} is a genuine, current age-gate token of this deployment. */
    boolean opens(String proof) {
        return proof != null && tokens.check(proof, 0) instanceof TokenCheck.Valid v
                && v.token().entitlement() == PlaybackToken.Entitlement.AGE_CONFIRMED;
    }

    /**
     * The channel's mature flag through a short cache. While the database is unreachable the last flag read answers
     * however old (so a mature channel stays gated through an outage); a slug never read is let through, as the public
     * channels' viewers must keep joining through an outage (the WHEP lookup has the same rule).
     */
    boolean mature(String slug) {
        String key = slug.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached c = bySlug.get(key);
        if (c != null && c.at().plus(TTL).isAfter(now)) return c.mature();
        boolean mature;
        try {
            mature = db.channels().findBySlug(slug).map(Channel::mature).orElse(false);
        } catch (RuntimeException e) {
            return c != null && c.mature();
        }
        if (bySlug.size() >= MAX_CACHED) bySlug.clear();
        bySlug.put(key, new Cached(mature, now));
        return mature;
    }

    /**
     * Issues the proof. Signed in: the confirmed birth year decides (asked once, {@code PUT /api/me/birth-year}).
     * Anonymous: the viewer's own declaration, as the web player's interstitial asks it.
     */
    private void issue(Context ctx) {
        Optional<Principal> me = auth.current(ctx);
        if (me.isPresent()) {
            Optional<Integer> year = db.users().birthYear(me.get().id());
            if (year.isEmpty()) {
                throw ApiException.forbidden("Confirm your year of birth first (PUT /api/me/birth-year {\"birthYear\": …}; asked once), "
                        + "then ask for the proof again.").type(PROBLEM_TYPE);
            }
            if (!LegalResource.adult(clock, year.get())) {
                throw ApiException.forbidden("Mature channels are for viewers aged " + LegalResource.ADULT_AGE
                        + " or older; your confirmed birth year does not open them.").type(PROBLEM_TYPE);
            }
        } else {
            ProofRequest req = ctx.body().isBlank() ? new ProofRequest(null) : Json.body(ctx, ProofRequest.class);
            if (!Boolean.TRUE.equals(req.confirmAdult())) {
                throw ApiException.invalidField("confirmAdult", "must be true: you confirm that you are "
                        + LegalResource.ADULT_AGE + " or older (or sign in, and your confirmed birth year decides)");
            }
        }
        String token = tokens.issue(0, PlaybackToken.Entitlement.AGE_CONFIRMED, LIFETIME);
        Instant expires = clock.instant().plus(LIFETIME);
        ctx.header("Cache-Control", "no-store").json(Map.of("token", token, "expiresAt", Instant.ofEpochSecond(expires.getEpochSecond()).toString(),
                "parameter", "age"));
    }
}
