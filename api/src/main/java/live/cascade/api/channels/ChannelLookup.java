package live.cascade.api.channels;

import io.javalin.http.Context;
import live.cascade.api.access.ViewerAccess;
import live.cascade.api.auth.Principal;
import live.cascade.api.auth.Secrets;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.util.Optional;

/**
 * Finds the channel named by a {@code {channel}} path segment: a number is an id, anything else a slug (slugs start
 * with a letter, so the two never collide). Suspended channels exist only for their owner and admins.
 */
public final class ChannelLookup {
    /** The problem type of a refusal for a private channel, so a client knows to ask for a viewer token. */
    public static final String PRIVATE_PROBLEM_TYPE = "urn:cascade:private-channel";
    public static final String VIEWER_TOKEN_HEADER = "X-Viewer-Token";
    private final Database db;

    public ChannelLookup(Database db) {
        this.db = db;
    }

    /** The channel, if the caller may read it: a private one needs access ({@link #requireReadable}). */
    public Channel find(Context ctx, Optional<Principal> caller) {
        Channel c = find(ctx.pathParam("channel"), caller);
        requireReadable(c, caller, viewerToken(ctx.queryParam("token"), ctx.header(VIEWER_TOKEN_HEADER)));
        return c;
    }

    /** The viewer token a request carries: {@code ?token=} (links, WebSockets) or the {@code X-Viewer-Token} header. */
    public static String viewerToken(String query, String header) {
        if (query != null && !query.isBlank()) return query.strip();
        return header == null || header.isBlank() ? null : header.strip();
    }

    /**
     * 403 unless the caller may read the channel. Public and unlisted channels are open to anyone; a private one to
     * its owner, its moderators, administrators and whoever holds one of its current viewer tokens. Its JSON, chat,
     * broadcast history and recordings list say no more than its playback does.
     */
    public void requireReadable(Channel c, Optional<Principal> caller, String viewerToken) {
        if (!ViewerAccess.isPrivate(c)) return;
        if (caller.isPresent()) {
            Principal p = caller.get();
            if (p.isAdmin() || p.id() == c.ownerId() || db.moderators().isModerator(c.id(), p.id())) return;
        }
        if (viewerToken != null && viewerToken.startsWith(ViewerAccess.PREFIX) && viewerToken.length() <= 100
                && db.viewerTokens().isCurrent(Secrets.sha256Hex(viewerToken), c.id())) return;
        throw ApiException.forbidden("Channel '" + c.slug() + "' is private: its owner shares it with a viewer token, "
                + "sent as ?token= or an X-Viewer-Token header. " + (viewerToken == null ? "This request carries none."
                : "This one is expired or for another channel.")).type(PRIVATE_PROBLEM_TYPE);
    }

    /** Like {@link #find(Context, Optional)} for a {@code {channel}} value taken from elsewhere (a WebSocket path). */
    public Channel find(String ref, Optional<Principal> caller) {
        Optional<Channel> c = ref.chars().allMatch(Character::isDigit) && !ref.isEmpty() && ref.length() < 19
                ? db.channels().findById(Long.parseLong(ref))
                : db.channels().findBySlug(ref);
        Channel channel = c.orElseThrow(() -> ApiException.notFound("No channel '" + ref + "'."));
        if (channel.suspended() && caller.map(p -> !p.isAdmin() && p.id() != channel.ownerId()).orElse(true)) {
            throw ApiException.notFound("No channel '" + ref + "'.");
        }
        return channel;
    }

    /** The channel, if the caller owns it or is an admin; 403 otherwise. */
    public Channel findManaged(Context ctx, Principal caller) {
        Channel c = find(ctx, Optional.of(caller));
        if (c.ownerId() != caller.id() && !caller.isAdmin()) {
            throw ApiException.forbidden("Only the owner of channel '" + c.slug() + "' or an administrator can do this.");
        }
        return c;
    }

    /** The channel, if the caller owns it; admins too are refused, because stream keys are the owner's alone. */
    public Channel findOwned(Context ctx, Principal caller) {
        Channel c = find(ctx, Optional.of(caller));
        if (c.ownerId() != caller.id()) throw ApiException.forbidden("Only the owner of channel '" + c.slug() + "' can see or rotate its stream key.");
        return c;
    }
}
