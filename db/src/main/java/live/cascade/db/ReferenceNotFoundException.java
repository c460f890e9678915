package live.cascade.db;

/** A write referred to a row that does not exist (a foreign key violation), e.g. a top friend id with no user. */
public final class ReferenceNotFoundException extends DatabaseException {
    private final String field;
    private final String constraint;

    public ReferenceNotFoundException(String field, String constraint, Throwable cause) {
        super(field + " refers to something that does not exist", cause);
        this.field = field;
        this.constraint = constraint;
    }

    /** The field of our records holding the dangling id: "userId", "channelId", "topFriendIds", ... */
    public String field() {
        return field;
    }

    public String constraint() {
        return constraint;
    }
}
