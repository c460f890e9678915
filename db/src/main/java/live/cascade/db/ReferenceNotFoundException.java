package live.cascade.db;

/** A write referred to a row that does not exist (a foreign key violation), e.g. a top friend id with no user. */
public final class ReferenceNotFoundException extends ConstraintViolationException {
    /** @param field the field holding the dangling id: "userId", "channelId", "topFriendIds", ... */
    public ReferenceNotFoundException(String field, String constraint, Throwable cause) {
        super(field + " refers to something that does not exist", field, constraint, cause);
    }
}
