package live.cascade.sfu.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which addresses to advertise as host candidates. {@link #select} is a pure function of interface data so it can be
 * tested; {@link #systemInterfaces()} reads that data from the host.
 */
public final class HostAddresses {
    private HostAddresses() {}

    /** What {@link #select} needs to know about one network interface. */
    public record InterfaceInfo(String name, boolean up, boolean loopback, List<InetAddress> addresses) {
        public InterfaceInfo {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Orders the usable candidate addresses:
     * <ol>
     *   <li>the configured public (NAT 1:1) address, if any, always first;</li>
     *   <li>with a specific bind address, that address only (the socket receives nowhere else);</li>
     *   <li>with a wildcard bind address, every address of every interface that is up, IPv4 before IPv6, leaving out
     *       loopback, link-local, multicast and wildcard addresses, and, when {@code allowList} is not empty, anything
     *       whose interface name or address literal is not in it.</li>
     * </ol>
     * Loopback is therefore advertised only when the bind address itself is loopback. Duplicates are removed.
     */
    public static List<InetAddress> select(List<InterfaceInfo> interfaces, InetAddress publicAddress,
                                           Collection<String> allowList, InetAddress bindAddress) {
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Set<String> allowed = allowList == null ? Set.of() : Set.copyOf(allowList);
        LinkedHashSet<InetAddress> out = new LinkedHashSet<>();
        if (publicAddress != null) out.add(publicAddress);
        if (!bindAddress.isAnyLocalAddress()) {
            out.add(bindAddress);
            return List.copyOf(out);
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InterfaceInfo nic : interfaces) {
            if (!nic.up() || nic.loopback()) continue;
            for (InetAddress address : nic.addresses()) {
                if (!usable(address)) continue;
                if (!allowed.isEmpty() && !allowed.contains(nic.name()) && !allowed.contains(literal(address))) continue;
                (address instanceof Inet4Address ? v4 : v6).add(address);
            }
        }
        out.addAll(v4);
        out.addAll(v6);
        return List.copyOf(out);
    }

    /** The host's interfaces as {@link #select} consumes them. */
    public static List<InterfaceInfo> systemInterfaces() {
        List<InterfaceInfo> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                try {
                    out.add(new InterfaceInfo(nic.getName(), nic.isUp(), nic.isLoopback(),
                            Collections.list(nic.getInetAddresses())));
                } catch (SocketException e) {
                    // An interface that vanished while we looked is simply not offered.
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
        return out;
    }

    private static boolean usable(InetAddress a) {
        return !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isMulticastAddress() && !a.isAnyLocalAddress();
    }

    private static String literal(InetAddress address) {
        String s = address.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }
}
