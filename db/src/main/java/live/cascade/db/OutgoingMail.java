package live.cascade.db;

/**
 * A mail to put in the outbox.
 *
 * @param userId         the account it is about (its erasure erases the mail), or null
 * @param kind           what it is for (verify, reset, live), for logs and metrics
 * @param unsubscribeUrl the RFC 8058 one-click unsubscribe URL, or null for mail one cannot unsubscribe from
 */
public record OutgoingMail(Long userId, String kind, String recipient, String subject, String body, String unsubscribeUrl) {
}
