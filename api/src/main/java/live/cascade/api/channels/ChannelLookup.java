package live.cascade.api.channels;

import io.javalin.http.Context;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;

import java.util.Optional;

/**
 * Finds the channel named by a {@code {channel}} path segment: a number is an id, anything else a slug (slugs start
 * with a letter, so the two never collide). Suspended channels exist only for their owner and admins.
 */
public final class ChannelLookup {
    private final Database db;

    public ChannelLookup(Database db) {
        this.db = db;
    }

    public Channel find(Context ctx, Optional<Principal> caller) {
        return find(ctx.pathParam("channel"), caller);
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
