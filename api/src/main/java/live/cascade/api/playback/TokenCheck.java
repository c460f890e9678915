package live.cascade.api.playback;

/** The outcome of checking a playback token for a channel: a value, never an exception. */
public sealed interface TokenCheck {
    /** Genuine, for this channel, not expired. */
    record Valid(PlaybackToken token) implements TokenCheck {
    }

    /**
     * Genuine and for this channel, but past its expiry. The caller decides: a live player still polling keeps its
     * session; anything else asks for a fresh token.
     */
    record Expired(PlaybackToken token) implements TokenCheck {
    }

    /** Not a token this node issued for this channel. */
    record Refused(Reason reason) implements TokenCheck {
    }

    /** Why a token is refused, with what the player (or its developer) should do. */
    enum Reason {
        MISSING("No playback token: load the master playlist (or the VOD playlist) and follow the URLs it lists, which carry one."),
        MALFORMED("The playback token is not well-formed (it must be the token= value exactly as the playlist gave it): load the playlist again."),
        UNSUPPORTED_VERSION("The playback token is of a version this node does not know: load the playlist again for a current one."),
        FORGED("The playback token's signature does not match: it was altered or was not issued by this deployment. Load the playlist again."),
        OTHER_CHANNEL("The playback token is for another channel: load this channel's playlist for its own token."),
        UNKNOWN_ENTITLEMENT("The playback token carries an entitlement this node does not know: load the playlist again.");

        private final String detail;

        Reason(String detail) {
            this.detail = detail;
        }

        /** An actionable sentence for a problem document's {@code detail}. */
        public String detail() { return detail; }
    }
}
