package live.cascade.api.playback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cascade_playback_token_refusals_total{reason}}: playlist and segment requests refused (403) for their playback
 * token, one series per reason from start. A rise in {@code forged} is someone trying tokens of their own; in
 * {@code expired}, players coming back after the lifetime.
 */
public final class TokenRefusals {
    /** Why a request's token was not good enough. */
    public enum Why {
        MISSING, MALFORMED, UNSUPPORTED_VERSION, FORGED, OTHER_CHANNEL, UNKNOWN_ENTITLEMENT,
        /** Genuine but expired, and its session was not polling. */
        EXPIRED,
        /** A channel's shared token where a viewer's own is needed. */
        SHARED,
        /** A private channel's playlist without a viewer token or a private playback token. */
        PRIVATE;

        public static Why of(TokenCheck.Reason reason) { return valueOf(reason.name()); }
    }

    private final Map<Why, Counter> counters = new EnumMap<>(Why.class);

    public TokenRefusals(MeterRegistry registry) {
        for (Why w : Why.values()) {
            counters.put(w, Counter.builder("cascade_playback_token_refusals")
                    .description("HLS and VOD requests refused (403) for their playback token, by reason")
                    .tag("reason", w.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    public void count(Why why) { counters.get(why).increment(); }

    public void count(TokenCheck.Reason reason) { count(Why.of(reason)); }

    public long total(Why why) { return (long) counters.get(why).count(); }
}
