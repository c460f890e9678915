package live.cascade.api.users;

import live.cascade.db.Database;
import live.cascade.db.Role;
import live.cascade.db.RoleChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code --bootstrap-admin <username>}: the named account is the node's administrator instead of whoever signs up
 * first. It becomes admin when it signs up, or at start when it exists already (also a way back in for an operator
 * whose admins are all gone). Without the setting the first account to sign up is the admin, as before.
 */
public final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private AdminBootstrap() {
    }

    public static void apply(Database db, Optional<String> username) {
        if (username.isEmpty()) return;
        String name = username.get();
        db.users().bootstrapAdmin(name);
        var existing = db.users().findByLogin(name).filter(u -> u.username().equalsIgnoreCase(name));
        if (existing.isEmpty()) {
            LOG.info("--bootstrap-admin: '{}' becomes the administrator when it signs up (the first sign-up does not)", name);
            return;
        }
        if (db.users().changeRole(existing.get().id(), Role.ADMIN, null) instanceof RoleChange.Changed c) {
            LOG.info("--bootstrap-admin: made {} (id {}) an administrator", c.user().username(), c.user().id());
        }
    }
}
