package live.cascade.api.recordings;

import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.Recording;

import java.util.Optional;

/**
 * A recording, its channel, and what the caller may do with it: the one access rule that recording management and
 * playback share (published recordings are public; drafts only their channel's owner and admins; a recording an
 * admin took down only admins, and its owner sees it but cannot play it).
 */
record RecordingAccess(Recording recording, Channel channel, boolean privileged, boolean admin) {

    /** The recording of the request's {@code {id}} as the caller may see it; 404 when they may not know it exists. */
    static RecordingAccess find(Context ctx, boolean playback, Authenticator auth, Database db) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No recording '" + ctx.pathParam("id") + "'.");
        }
        Optional<Principal> me = auth.current(ctx);
        ApiException missing = ApiException.notFound("No recording " + id + ".");
        Recording r = db.recordings().findById(id).orElseThrow(() -> missing);
        Channel c = db.channels().findById(r.channelId()).orElseThrow(() -> missing);
        boolean admin = me.map(Principal::isAdmin).orElse(false);
        boolean owner = me.map(p -> p.id() == c.ownerId()).orElse(false);
        if (c.suspended() && !admin && !owner) throw missing;
        if (r.takenDown() && !admin) {
            if (!owner) throw missing;
            if (playback) throw ApiException.forbidden("Recording " + id + " was taken down by an administrator.");
        }
        if (!r.published() && !owner && !admin) throw missing;
        return new RecordingAccess(r, c, owner || admin, admin);
    }
}
