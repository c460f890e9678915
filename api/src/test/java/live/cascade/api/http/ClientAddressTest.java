package live.cascade.api.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {
    private static final ClientAddress NO_PROXY = new ClientAddress(List.of());
    private static final ClientAddress BEHIND_PROXIES = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:1::/48")));

    @Test
    void withoutTrustedProxiesTheHeadersAreIgnored() {
        assertThat(NO_PROXY.resolve("198.51.100.7", List.of("for=203.0.113.1"), List.of("203.0.113.2"))).isEqualTo("198.51.100.7");
    }

    @Test
    void anUntrustedPeerCannotClaimAnotherAddress() {
        assertThat(BEHIND_PROXIES.resolve("198.51.100.7", List.of(), List.of("203.0.113.2"))).isEqualTo("198.51.100.7");
    }

    @Test
    void theFirstUntrustedHopFromTheRightIsTheClient() {
        // The client wrote "1.1.1.1" itself; our proxies appended what they saw.
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of(), List.of("1.1.1.1, 203.0.113.9", "10.0.0.1"))).isEqualTo("203.0.113.9");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of(), List.of("203.0.113.9:5555"))).isEqualTo("203.0.113.9");
    }

    @Test
    void aChainOfOnlyTrustedHopsEndsAtItsLeftmostAddress() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of(), List.of("10.9.9.9, 10.0.0.1"))).isEqualTo("10.9.9.9");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of(), List.of())).isEqualTo("10.0.0.2");
    }

    @Test
    void forwardedIsReadWithQuotesPortsAndIpv6AndWinsOverXForwardedFor() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of("for=192.0.2.60;proto=https;by=10.0.0.2, for=\"[2001:db8:cafe::17]:4711\""),
                List.of("203.0.113.2"))).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of("For=\"[2001:db8:1::5]\", for=192.0.2.43"), List.of())).isEqualTo("192.0.2.43");
    }

    @Test
    void anUnreadableHopStopsAtTheProxyThatWroteIt() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of("for=unknown"), List.of())).isEqualTo("10.0.0.2");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.2", List.of(), List.of("evil.example, 10.0.0.1"))).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6ClientsAreLimitedByTheirSlash64() {
        assertThat(ClientAddress.limitKey("2001:db8:aaaa:bbbb:1:2:3:4")).isEqualTo(ClientAddress.limitKey("2001:db8:aaaa:bbbb:ffff::9"));
        assertThat(ClientAddress.limitKey("2001:db8:aaaa:bbbb:1:2:3:4")).isNotEqualTo(ClientAddress.limitKey("2001:db8:aaaa:bbbc::1"));
        assertThat(ClientAddress.limitKey("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void cidrsMatchTheirNetworkOnlyAndRejectNonsense() {
        Cidr net = Cidr.parse("192.168.16.0/20");
        assertThat(net.contains(Cidr.literal("192.168.31.255").orElseThrow())).isTrue();
        assertThat(net.contains(Cidr.literal("192.168.32.0").orElseThrow())).isFalse();
        assertThat(net.contains(Cidr.literal("::ffff:192.168.20.1").orElseThrow())).as("IPv4-mapped IPv6 is IPv4").isTrue();
        assertThat(Cidr.parse("127.0.0.2").contains(Cidr.literal("127.0.0.3").orElseThrow())).isFalse();
        assertThat(Cidr.literal("localhost")).as("never a DNS lookup").isEmpty();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse("proxy.internal")).hasMessageContaining("not an IP address");
    }

    @Test
    void onlyATrustedProxysOwnHopSaysTheClientCameOverHttps() {
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of(), List.of("https"))).isTrue();
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of(), List.of("http"))).isFalse();
        // The client's own claim stands left of what our proxy wrote.
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of(), List.of("https, http"))).isFalse();
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of(), List.of())).isFalse();
        assertThat(BEHIND_PROXIES.proxiedHttps("198.51.100.7", List.of(), List.of("https"))).as("untrusted peer").isFalse();
        assertThat(NO_PROXY.proxiedHttps("10.0.0.2", List.of(), List.of("https"))).isFalse();
    }

    @Test
    void forwardedProtoOfTheNearestElementWinsOverXForwardedProto() {
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of("for=192.0.2.60;proto=http, for=192.0.2.61;proto=\"https\""),
                List.of("http"))).isTrue();
        assertThat(BEHIND_PROXIES.proxiedHttps("10.0.0.2", List.of("for=192.0.2.60;proto=https, for=192.0.2.61"),
                List.of("https"))).as("the nearest element says nothing of its protocol").isFalse();
    }
}
