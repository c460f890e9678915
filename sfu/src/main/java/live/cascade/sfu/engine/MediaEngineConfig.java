package live.cascade.sfu.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import live.cascade.sfu.params.SrtpProfile;

/**
 * How the media engine binds and behaves. Start from {@link #defaults()} and adjust with the {@code with...} methods.
 *
 * @param bindAddress          local address the worker sockets bind (default {@code 0.0.0.0})
 * @param basePort             worker {@code i} binds {@code basePort + i} (default 10000); 0 binds ephemeral ports
 * @param workerCount          media workers, one event-loop thread and one UDP port each (default: available cores)
 * @param consentTimeout       RFC 7675 consent lifetime (default 30 s)
 * @param advertisedAddresses  host-candidate addresses, most preferred first, as computed by the caller with
 *                             {@link HostAddresses#select}; empty advertises the bind address when it is specific, or
 *                             the host's usable interface addresses when it is a wildcard
 * @param dtlsHandshakeTimeout how long a DTLS handshake may take (default 20 s)
 * @param srtpProfiles         SRTP profiles we negotiate, most preferred first (default AES-CM/HMAC-SHA1-80, whose RTP
 *                             transform is our allocation-free one, then GCM)
 * @param requireUseCandidate  nominate only on USE-CANDIDATE (default false: lenient, see {@code IceLiteAgent})
 * @param preferEpoll          use the epoll transport when the platform has it (default true)
 * @param sessionSetupTimeout  a transport not secure (ICE and DTLS done) this long after creation is closed (default
 *                             7 s; the sweep runs at least twice a second, so such a session is gone within 7.5 s)
 * @param iceTcpBasePort       worker {@code i} accepts passive ICE-TCP on TCP {@code iceTcpBasePort + i} (default off,
 *                             {@link #ICE_TCP_OFF}; the server turns it on at 10000); 0 binds ephemeral ports
 */
public record MediaEngineConfig(InetAddress bindAddress, int basePort, int workerCount, Duration consentTimeout,
                                List<InetAddress> advertisedAddresses, Duration dtlsHandshakeTimeout,
                                List<SrtpProfile> srtpProfiles, boolean requireUseCandidate, boolean preferEpoll,
                                Duration sessionSetupTimeout, int iceTcpBasePort) {
    public static final int DEFAULT_BASE_PORT = 10000;
    /** {@link #iceTcpBasePort} value that turns ICE-TCP off. */
    public static final int ICE_TCP_OFF = -1;

    public MediaEngineConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        Objects.requireNonNull(dtlsHandshakeTimeout, "dtlsHandshakeTimeout");
        Objects.requireNonNull(sessionSetupTimeout, "sessionSetupTimeout");
        if (sessionSetupTimeout.isNegative() || sessionSetupTimeout.isZero()) throw new IllegalArgumentException("sessionSetupTimeout");
        advertisedAddresses = List.copyOf(advertisedAddresses);
        srtpProfiles = List.copyOf(srtpProfiles);
        if (workerCount < 1) throw new IllegalArgumentException("workerCount must be at least 1: " + workerCount);
        if (basePort < 0 || (basePort > 0 && basePort + workerCount - 1 > 65535)) {
            throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + workerCount - 1) + " out of range");
        }
        if (consentTimeout.isNegative() || consentTimeout.isZero()) throw new IllegalArgumentException("consentTimeout");
        if (dtlsHandshakeTimeout.isNegative() || dtlsHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("dtlsHandshakeTimeout");
        }
        if (srtpProfiles.isEmpty()) throw new IllegalArgumentException("srtpProfiles is empty");
        if (iceTcpBasePort < ICE_TCP_OFF || (iceTcpBasePort > 0 && iceTcpBasePort + workerCount - 1 > 65535)) {
            throw new IllegalArgumentException("ICE-TCP ports " + iceTcpBasePort + ".." + (iceTcpBasePort + workerCount - 1) + " out of range");
        }
    }

    public boolean iceTcp() { return iceTcpBasePort != ICE_TCP_OFF; }

    public static MediaEngineConfig defaults() {
        return new MediaEngineConfig(wildcard(), DEFAULT_BASE_PORT, Runtime.getRuntime().availableProcessors(),
                Duration.ofSeconds(30), List.of(), Duration.ofSeconds(20),
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM), false, true, Duration.ofSeconds(7), ICE_TCP_OFF);
    }

    public MediaEngineConfig withBindAddress(InetAddress v) {
        return new MediaEngineConfig(v, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withBasePort(int v) {
        return new MediaEngineConfig(bindAddress, v, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withWorkerCount(int v) {
        return new MediaEngineConfig(bindAddress, basePort, v, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withConsentTimeout(Duration v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, v, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withAdvertisedAddresses(List<InetAddress> v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, v,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withDtlsHandshakeTimeout(Duration v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                v, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withSrtpProfiles(List<SrtpProfile> v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, v, requireUseCandidate, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withRequireUseCandidate(boolean v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, v, preferEpoll, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withPreferEpoll(boolean v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, v, sessionSetupTimeout, iceTcpBasePort);
    }

    public MediaEngineConfig withSessionSetupTimeout(Duration v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, v, iceTcpBasePort);
    }

    public MediaEngineConfig withIceTcpBasePort(int v) {
        return new MediaEngineConfig(bindAddress, basePort, workerCount, consentTimeout, advertisedAddresses,
                dtlsHandshakeTimeout, srtpProfiles, requireUseCandidate, preferEpoll, sessionSetupTimeout, v);
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }
}
