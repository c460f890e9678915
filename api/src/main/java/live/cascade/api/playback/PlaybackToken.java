package live.cascade.api.playback;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a playback token says, once its signature is checked: which channel it is for, which viewing session it
 * belongs to, until when it is good, and what it entitles to.
 *
 * @param channelId   the channel whose HLS or VOD URLs it opens; a token never opens another channel's
 * @param session     the viewing session: 12 random bytes as 16 base64url characters, chosen by the server when it
 *                    issued the token; {@link #SHARED_SESSION} for a token shared by every viewer of a channel
 * @param expiresAt   after this the token is refused (a live player that keeps polling is let through anyway, see
 *                    docs/hls.md); whole seconds
 * @param entitlement what the holder may watch
 */
public record PlaybackToken(long channelId, String session, Instant expiresAt, Entitlement entitlement) {
    /** The session of tokens that are the same for every viewer of a channel within an interval (cacheable URLs). */
    public static final String SHARED_SESSION = "AAAAAAAAAAAAAAAA";
    static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{16}");

    public PlaybackToken {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(entitlement, "entitlement");
        if (!SESSION.matcher(session).matches()) throw new IllegalArgumentException("a session is 16 base64url characters: " + session);
        if (expiresAt.getNano() != 0) throw new IllegalArgumentException("expiry in whole seconds: " + expiresAt);
    }

    public boolean shared() { return SHARED_SESSION.equals(session); }

    /**
     * What a token entitles its holder to. Version 1 knows one value; private channels add theirs here (a new code),
     * and a node that does not know a code refuses the token rather than guess.
     */
    public enum Entitlement {
        /** Whatever anyone may watch: a public channel's live HLS, a recording the requester could see. */
        PUBLIC((byte) 0),
        /** A private channel's live HLS: issued only to a holder of one of its viewer tokens. */
        PRIVATE((byte) 1),
        /**
         * Not playback itself: the proof that its holder passed the age gate of mature channels (issued for channel 0,
         * which no channel has, so it never opens a playlist; see {@code live.cascade.api.safety.AgeGate}).
         */
        AGE_CONFIRMED((byte) 2);

        private final byte code;

        Entitlement(byte code) {
            this.code = code;
        }

        byte code() { return code; }

        static Entitlement of(byte code) {
            for (Entitlement e : values()) {
                if (e.code == code) return e;
            }
            return null;
        }
    }
}
