package live.cascade.db;

/** What asking for an account's role to change did. */
public sealed interface RoleChange {
    /** The role changed, and the moderation log says so. */
    record Changed(User user) implements RoleChange {}

    /** The account already had that role; nothing was written. */
    record Unchanged(User user) implements RoleChange {}

    record NoSuchUser() implements RoleChange {}

    /** Refused: the account is the last active admin, and the node would have none left. */
    record LastAdmin(User user) implements RoleChange {}
}
