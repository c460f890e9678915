package live.cascade.api.playback;

import live.cascade.sfu.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybackTokensTest {
    private static final String SECRET = "a node secret of at least thirty-two characters";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final PlaybackTokens tokens = PlaybackTokens.fromSecret(SECRET, clock, Duration.ofHours(6));

    private static PlaybackToken valid(TokenCheck c) {
        assertThat(c).isInstanceOf(TokenCheck.Valid.class);
        return ((TokenCheck.Valid) c).token();
    }

    private static TokenCheck.Reason refused(TokenCheck c) {
        assertThat(c).isInstanceOf(TokenCheck.Refused.class);
        return ((TokenCheck.Refused) c).reason();
    }

    private static String b64(byte[] raw) { return Base64.getUrlEncoder().withoutPadding().encodeToString(raw); }

    @Test
    void anIssuedTokenChecksOutForItsChannelWithANewSessionAndTheLifetimeAsExpiry() {
        String t = tokens.issue(42);
        assertThat(t).hasSize(62).matches("[A-Za-z0-9_-]+");
        PlaybackToken token = valid(tokens.check(t, 42));
        assertThat(token.channelId()).isEqualTo(42);
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-12-05T16:00:00Z"));
        assertThat(token.entitlement()).isEqualTo(PlaybackToken.Entitlement.PUBLIC);
        assertThat(token.shared()).isFalse();
        Set<String> sessions = new HashSet<>();
        for (int i = 0; i < 100; i++) sessions.add(valid(tokens.check(tokens.issue(42), 42)).session());
        assertThat(sessions).as("every issue is a new session").hasSize(100);
    }

    @Test
    void aTokenIsNotGoodForAnotherChannel() {
        assertThat(refused(tokens.check(tokens.issue(42), 43))).isEqualTo(TokenCheck.Reason.OTHER_CHANNEL);
    }

    @Test
    void aTokenExpiresAtItsLifetimeAndRenewingKeepsTheSession() {
        String t = tokens.issue(7);
        PlaybackToken first = valid(tokens.check(t, 7));
        clock.advance(Duration.ofHours(6).minusSeconds(1));
        valid(tokens.check(t, 7));
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.check(t, 7)).isEqualTo(new TokenCheck.Expired(first));
        PlaybackToken renewed = valid(tokens.check(tokens.renew(first), 7));
        assertThat(renewed.session()).isEqualTo(first.session());
        assertThat(renewed.expiresAt()).isEqualTo(first.expiresAt().plus(Duration.ofHours(6)));
    }

    @Test
    void changingAnyCharacterOfATokenIsRefused() {
        String t = tokens.issue(42);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            String altered = t.substring(0, i) + (c == 'A' ? 'B' : 'A') + t.substring(i + 1);
            TokenCheck check = tokens.check(altered, 42);
            if (check instanceof TokenCheck.Valid v) {
                // The last character carries 2 spare bits that decoders ignore: a change there can decode to the same bytes.
                assertThat(i).as("only the spare bits of the last character may change").isEqualTo(t.length() - 1);
                assertThat(v.token()).isEqualTo(valid(tokens.check(t, 42)));
                continue;
            }
            assertThat(check).as("altered at " + i).isInstanceOf(TokenCheck.Refused.class);
            assertThat(((TokenCheck.Refused) check).reason()).as("altered at " + i)
                    .isIn(TokenCheck.Reason.FORGED, TokenCheck.Reason.UNSUPPORTED_VERSION, TokenCheck.Reason.MALFORMED);
        }
    }

    @Test
    void aTokenWhoseFieldsWereRewrittenIsForged() {
        byte[] raw = Base64.getUrlDecoder().decode(tokens.issue(42));
        raw[9] = 43; // the channel id's last byte: 42 -> 43
        assertThat(refused(tokens.check(b64(raw), 43))).isEqualTo(TokenCheck.Reason.FORGED);
        byte[] later = Base64.getUrlDecoder().decode(tokens.issue(42));
        later[26] += 1; // the expiry, days later
        assertThat(refused(tokens.check(b64(later), 42))).isEqualTo(TokenCheck.Reason.FORGED);
        byte[] session = Base64.getUrlDecoder().decode(tokens.issue(42));
        session[12] ^= 1; // an invented session
        assertThat(refused(tokens.check(b64(session), 42))).isEqualTo(TokenCheck.Reason.FORGED);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsForgedAndTheSameSecretGivesTheSameKeyOnEveryNode() {
        PlaybackTokens otherDeployment = PlaybackTokens.fromSecret("another secret of at least thirty-two characters", clock, Duration.ofHours(6));
        assertThat(refused(tokens.check(otherDeployment.issue(42), 42))).isEqualTo(TokenCheck.Reason.FORGED);
        PlaybackTokens otherNode = PlaybackTokens.fromSecret(SECRET, clock, Duration.ofMinutes(5));
        valid(tokens.check(otherNode.issue(42), 42));
        // The key is derived: the secret itself used as the key does not sign valid tokens.
        PlaybackTokens rawSecret = new PlaybackTokens(SECRET.getBytes(StandardCharsets.UTF_8), clock, Duration.ofHours(6));
        assertThat(refused(tokens.check(rawSecret.issue(42), 42))).isEqualTo(TokenCheck.Reason.FORGED);
    }

    @Test
    void malformedInputIsRefusedAsAValue() {
        assertThat(refused(tokens.check(null, 42))).isEqualTo(TokenCheck.Reason.MISSING);
        assertThat(refused(tokens.check("", 42))).isEqualTo(TokenCheck.Reason.MISSING);
        assertThat(refused(tokens.check("abc", 42))).isEqualTo(TokenCheck.Reason.MALFORMED);
        String t = tokens.issue(42);
        assertThat(refused(tokens.check(t + "A", 42))).isEqualTo(TokenCheck.Reason.MALFORMED);
        assertThat(refused(tokens.check(t.substring(1), 42))).isEqualTo(TokenCheck.Reason.MALFORMED);
        assertThat(refused(tokens.check("+" + t.substring(1), 42))).as("base64, not base64url").isEqualTo(TokenCheck.Reason.MALFORMED);
        assertThat(refused(tokens.check("%" + t.substring(1), 42))).isEqualTo(TokenCheck.Reason.MALFORMED);
        assertThat(refused(tokens.check("x".repeat(100_000), 42))).isEqualTo(TokenCheck.Reason.MALFORMED);
        assertThat(TokenCheck.Reason.FORGED.detail()).contains("Load the playlist again");
    }

    @Test
    void aTokenOfAnotherVersionOrUnknownEntitlementIsRefusedEvenWhenSigned() {
        byte[] body = Arrays.copyOf(Base64.getUrlDecoder().decode(tokens.issue(42)), 30);
        byte[] v2 = body.clone();
        v2[0] = 2;
        assertThat(refused(tokens.check(tokens.sign(v2), 42))).isEqualTo(TokenCheck.Reason.UNSUPPORTED_VERSION);
        byte[] unknown = body.clone();
        unknown[1] = 9;
        assertThat(refused(tokens.check(tokens.sign(unknown), 42))).isEqualTo(TokenCheck.Reason.UNKNOWN_ENTITLEMENT);
        valid(tokens.check(tokens.sign(body), 42));
    }

    @Test
    void theSharedTokenIsTheSameForEveryViewerWithinAnIntervalAndGoodForOneToTwoLifetimes() {
        clock.advance(Duration.ofHours(1)); // 11:00, in the 06:00-12:00 interval
        String a = tokens.shared(42);
        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.shared(42)).isEqualTo(a);
        assertThat(tokens.shared(43)).isNotEqualTo(a);
        PlaybackToken t = valid(tokens.check(a, 42));
        assertThat(t.shared()).isTrue();
        assertThat(t.expiresAt()).isEqualTo(Instant.parse("2026-12-05T18:00:00Z"));
        clock.advance(Duration.ofMinutes(1)); // 12:00: the next interval's token
        assertThat(tokens.shared(42)).isNotEqualTo(a);
        valid(tokens.check(a, 42));
    }

    @Test
    void aTokenHasAValidSessionAndWholeSecondExpiry() {
        assertThatThrownBy(() -> new PlaybackToken(1, "short", Instant.EPOCH, PlaybackToken.Entitlement.PUBLIC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaybackToken(1, PlaybackToken.SHARED_SESSION, Instant.ofEpochMilli(5), PlaybackToken.Entitlement.PUBLIC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaybackTokens(new byte[16], clock, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
