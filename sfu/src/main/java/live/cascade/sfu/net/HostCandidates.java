package live.cascade.sfu.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import live.cascade.sfu.params.Candidate;

/** Host candidates for one worker's ports (UDP, and ICE-TCP when it listens). */
final class HostCandidates {
    private static final long HOST_TYPE_PREFERENCE = 126;

    private HostCandidates() {}

    /**
     * One UDP host candidate per address, in the given order of preference (RFC 8445 5.1.2.1 priority with
     * component 1: the first address gets the highest local preference).
     */
    public static List<Candidate> forPort(List<InetAddress> addresses, int port) {
        List<Candidate> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            long localPreference = Math.max(0, 65535 - i);
            long priority = (HOST_TYPE_PREFERENCE << 24) | (localPreference << 8) | (256 - 1);
            out.add(new Candidate(literal(addresses.get(i)), port, priority));
        }
        return List.copyOf(out);
    }

    /**
     * One passive ICE-TCP host candidate per address. RFC 6544 4.2 local preference: direction preference 4
     * (passive) shifted by 13 bits plus the address order, so every TCP candidate ranks below every UDP candidate
     * (whose local preference is 65535 - i) and a peer that can reach UDP always prefers it.
     */
    public static List<Candidate> forTcpPort(List<InetAddress> addresses, int port) {
        List<Candidate> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            long localPreference = (4L << 13) | Math.max(0, 8191 - i);
            long priority = (HOST_TYPE_PREFERENCE << 24) | (localPreference << 8) | (256 - 1);
            out.add(new Candidate(literal(addresses.get(i)), port, priority, Candidate.Protocol.TCP_PASSIVE));
        }
        return List.copyOf(out);
    }

    /** The address as SDP wants it: no IPv6 scope suffix. */
    static String literal(InetAddress address) {
        String s = address.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }
}
