package live.cascade.api.chat;

/**
 * The codes of chat error frames and of the {@code code} member of chat problem documents (docs/chat.md), with the
 * HTTP status a REST request gets and the WebSocket close code used when the same mistake keeps coming on a socket.
 */
public enum ChatError {
    NOT_AUTHENTICATED(401, 1008),
    NOT_FOUND(404, 1008),
    BANNED(403, 1008),
    TIMED_OUT(403, 1008),
    FOLLOWERS_ONLY(403, 1008),
    RATE_LIMITED(429, 1008),
    SLOW_MODE(429, 1008),
    EMPTY(400, 1008),
    TOO_LONG(400, 1008),
    BLOCKED_WORD(422, 1008),
    LINK_BLOCKED(422, 1008),
    INVALID_JSON(400, 1007),
    UNKNOWN_TYPE(400, 1008),
    FRAME_TOO_LARGE(413, 1009),
    UNSUPPORTED_DATA(415, 1003),
    TOO_SLOW(503, 1013),
    /** The login session behind the socket ended (logout, password change): 4001, "log in again". */
    SESSION_ENDED(401, 4001),
    /** The account was suspended: 4003. */
    SUSPENDED(403, 4003),
    /** The channel was suspended by an administrator: 4004. */
    CHANNEL_SUSPENDED(403, 4004),
    /** The site published Terms or a Privacy notice the author has not accepted yet (TermsGate); not fatal. */
    TERMS_NOT_ACCEPTED(403, 1008),
    /**
     * The database is unreachable, so a message cannot be stored (or its author's standing checked): refused, with a
     * retry delay, and the text stays in the author's input box. Never fatal for the socket.
     */
    UNAVAILABLE(503, 1013),
    SERVER_ERROR(500, 1011);

    private final int httpStatus;
    private final int closeCode;

    ChatError(int httpStatus, int closeCode) {
        this.httpStatus = httpStatus;
        this.closeCode = closeCode;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int closeCode() {
        return closeCode;
    }
}
