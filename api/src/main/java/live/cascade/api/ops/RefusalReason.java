package live.cascade.api.ops;

/**
 * Why the node refused a request to protect itself or a user: the closed set of {@code reason} labels of
 * {@code cascade_refusals_total}. A new limit adds a constant here, so the label set stays bounded.
 */
public enum RefusalReason {
    /** 503: the password-hashing queue was full. */
    PASSWORD_HASHING_BUSY("password_hashing_busy"),
    /** 429: too many failed logins from one client address. */
    LOGIN_FAILURES_PER_IP("login_failures_per_ip"),
    /** 429: too many failed logins for one account from one client address. */
    LOGIN_FAILURES_PER_IP_ACCOUNT("login_failures_per_ip_account"),
    /** 400/413: a credential field (or the body carrying it) longer than any real one. */
    CREDENTIAL_TOO_LONG("credential_too_long"),
    /** 503: every WHIP slot of the publishers' reserve is taken. */
    PUBLISHER_SHARE_FULL("publisher_share_full"),
    /** 503: every WHEP slot of the viewers' share is taken. */
    VIEWER_SHARE_FULL("viewer_share_full"),
    /** 429: one client address has too many WHEP sessions still connecting. */
    WHEP_PENDING_PER_IP("whep_pending_per_ip"),
    /** 429: one channel has too many WHEP sessions still connecting. */
    WHEP_PENDING_PER_CHANNEL("whep_pending_per_channel"),
    /** 429: too many signups from one client address. */
    SIGNUPS_PER_IP("signups_per_ip"),
    /** 429: too many signups from all addresses together. */
    SIGNUPS_TOTAL("signups_total"),
    /** 429 (or close code 1013 after a racing upgrade): one client address holds too many chat sockets. */
    CHAT_SOCKETS_PER_IP("chat_sockets_per_ip"),
    /** 429: an account already owns as many channels as it may. */
    CHANNELS_PER_ACCOUNT("channels_per_account"),
    /** 429: a WHIP publish by an account that already has as many broadcasts live as it may. */
    BROADCASTS_PER_ACCOUNT("broadcasts_per_account"),
    /** 429: a request on a connection past its address's cap of open HTTP connections. */
    CONNECTIONS_PER_IP("connections_per_ip");

    private final String label;

    RefusalReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
