package live.cascade.db;

/** A follower who wants to hear that a channel went live, at a verified address. */
public record NoticeRecipient(long userId, String username, String email) {
}
