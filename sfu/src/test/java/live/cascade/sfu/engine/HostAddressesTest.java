package live.cascade.sfu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import live.cascade.sfu.engine.HostAddresses.InterfaceInfo;
import org.junit.jupiter.api.Test;

class HostAddressesTest {
    private static final InetAddress ANY = ip("0.0.0.0");
    private static final List<InterfaceInfo> HOST = List.of(
            new InterfaceInfo("lo", true, true, List.of(ip("127.0.0.1"), ip("::1"))),
            new InterfaceInfo("eth0", true, false, List.of(ip("fe80::1"), ip("2001:db8::10"), ip("192.0.2.10"))),
            new InterfaceInfo("wlan0", true, false, List.of(ip("198.51.100.7"), ip("169.254.3.3"))),
            new InterfaceInfo("docker0", false, false, List.of(ip("172.17.0.1"))));

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void wildcardBindAdvertisesPublicAddressFirstThenIpv4ThenIpv6WithoutLoopbackOrLinkLocal() {
        List<InetAddress> selected = HostAddresses.select(HOST, ip("203.0.113.5"), List.of(), ANY);

        assertThat(selected).containsExactly(ip("203.0.113.5"), ip("192.0.2.10"), ip("198.51.100.7"),
                ip("2001:db8::10"));
    }

    @Test
    void allowListFiltersByInterfaceNameOrAddressButNeverDropsThePublicAddress() {
        assertThat(HostAddresses.select(HOST, null, List.of("wlan0"), ANY)).containsExactly(ip("198.51.100.7"));
        assertThat(HostAddresses.select(HOST, ip("203.0.113.5"), List.of("2001:db8:0:0:0:0:0:10"), ANY))
                .containsExactly(ip("203.0.113.5"), ip("2001:db8::10"));
    }

    @Test
    void specificBindAddressIsTheOnlyLocalCandidate() {
        assertThat(HostAddresses.select(HOST, null, List.of(), ip("192.0.2.10"))).containsExactly(ip("192.0.2.10"));
        assertThat(HostAddresses.select(HOST, ip("203.0.113.5"), List.of(), ip("192.0.2.10")))
                .containsExactly(ip("203.0.113.5"), ip("192.0.2.10"));
    }

    @Test
    void loopbackIsAdvertisedOnlyWhenTheBindAddressIsLoopback() {
        assertThat(HostAddresses.select(HOST, null, List.of(), ANY)).noneMatch(InetAddress::isLoopbackAddress);
        assertThat(HostAddresses.select(HOST, null, List.of(), ip("127.0.0.1"))).containsExactly(ip("127.0.0.1"));
    }

    @Test
    void duplicatesAreRemoved() {
        List<InterfaceInfo> twice = List.of(
                new InterfaceInfo("eth0", true, false, List.of(ip("192.0.2.10"))),
                new InterfaceInfo("eth0:1", true, false, List.of(ip("192.0.2.10"))));

        assertThat(HostAddresses.select(twice, ip("192.0.2.10"), List.of(), ANY)).containsExactly(ip("192.0.2.10"));
    }

    @Test
    void systemInterfacesCanBeRead() {
        assertThat(HostAddresses.systemInterfaces()).anyMatch(InterfaceInfo::loopback);
    }
}
