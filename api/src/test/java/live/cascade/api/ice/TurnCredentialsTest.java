package live.cascade.api.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import live.cascade.whipwhep.IceServer;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T22:00:00Z"), ZoneOffset.UTC);

    @Test
    void theUsernameIsExpiryColonIdAndThePasswordTheBase64HmacSha1OfIt() {
        TurnCredentials turn = new TurnCredentials("north-wind-secret-42", Duration.ofMinutes(5), CLOCK);
        TurnCredential c = turn.mint("viewer1", Instant.ofEpochSecond(1_800_000_000L));
        assertThat(c.username()).isEqualTo("1800000000:viewer1");
        // printf '1800000000:viewer1' | openssl dgst -sha1 -hmac north-wind-secret-42 -binary | base64
        assertThat(c.password()).isEqualTo("n1P8kFtf1U10eZvCB5DtmkKiH64=");
    }

    @Test
    void aMintedCredentialExpiresAfterTheTtlAndEachHasItsOwnId() {
        TurnCredentials turn = new TurnCredentials("north-wind-secret-42", Duration.ofMinutes(5), CLOCK);
        TurnCredential a = turn.mint();
        TurnCredential b = turn.mint();
        assertThat(a.expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(5)));
        assertThat(a.username()).startsWith(CLOCK.instant().plus(Duration.ofMinutes(5)).getEpochSecond() + ":");
        assertThat(a.username()).isNotEqualTo(b.username());
        assertThat(a.password()).isEqualTo(turn.password(a.username()));
    }

    @Test
    void linkServersCarryAFreshCredentialOnTurnUrlsOnlyAndStunUrlsBare() {
        IceServerDirectory directory = new IceServerDirectory(List.of("stun:stun.example.org:3478"),
                List.of("turn:t.example.org:3478?transport=udp", "turns:t.example.org:443?transport=tcp"),
                Optional.of(new TurnCredentials("north-wind-secret-42", Duration.ofMinutes(5), CLOCK)));
        List<IceServer> servers = directory.linkServers();
        assertThat(servers).extracting(IceServer::url).containsExactly("stun:stun.example.org:3478",
                "turn:t.example.org:3478?transport=udp", "turns:t.example.org:443?transport=tcp");
        assertThat(servers.get(0).username()).isNull();
        assertThat(servers.get(1).username()).isEqualTo(servers.get(2).username()).isNotNull();
        assertThat(directory.linkServers().get(1).username()).as("minted afresh per answer").isNotEqualTo(servers.get(1).username());
    }

    @Test
    void withoutASecretNoTurnUrlIsHandedOut() {
        IceServerDirectory directory = new IceServerDirectory(List.of(), List.of("turn:t.example.org:3478"), Optional.empty());
        assertThat(directory.linkServers()).isEmpty();
        assertThat(directory.offer().credential()).isEmpty();
    }
}
