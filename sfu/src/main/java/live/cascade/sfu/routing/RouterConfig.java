package live.cascade.sfu.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Router tunables.
 *
 * @param keyframeRequestInterval at most one keyframe request (PLI/FIR) to the publisher per this interval, per
 *                                video track; a channel has one video track, so this is per channel however many
 *                                viewers ask
 * @param reportInterval          how often sender reports go to viewers and receiver reports to the publisher
 * @param maxPacketSize           largest RTP packet forwarded; each viewer track's buffer is this plus SRTP tail room
 * @param cname                   CNAME in our SDES, or null for {@code cascade-<channel id>}
 * @param localSsrc               our SSRC in RTCP to the publisher, or 0 to pick one at random
 * @param historyPackets          packets kept per video track (a power of two, preallocated at
 *                                {@code maxPacketSize} bytes each) for NACK answers, duplicate detection and the GOP
 *                                cache; a new viewer can start from the cached keyframe only while its whole group of
 *                                pictures fits. Audio tracks keep {@value #AUDIO_HISTORY_PACKETS}.
 * @param transportCcInterval     how often transport-cc feedback goes to the publisher (when negotiated)
 * @param rembMaxBitrate          upper bound of the REMB estimate sent to a publisher without transport-cc, bit/s
 * @param catchUpSpeed            how many times faster than real time a new viewer is sent the cached group of
 *                                pictures; 0 disables the GOP cache (new viewers wait for a fresh keyframe)
 * @param nackMaxRetries          most NACKs per packet lost by the publisher
 * @param nackMaxAge              a publisher packet missing for longer than this is no longer asked for
 * @param viewerBwe               per-viewer send-side bandwidth estimation (transport-cc, REMB fallback), probing and
 *                                pacing ({@code live.cascade.sfu.bwe}); off forwards every packet at once
 */
public record RouterConfig(Duration keyframeRequestInterval, Duration reportInterval, int maxPacketSize, String cname,
                           long localSsrc, int historyPackets, Duration transportCcInterval, long rembMaxBitrate,
                           int catchUpSpeed, int nackMaxRetries, Duration nackMaxAge, boolean viewerBwe) {
    public static final int AUDIO_HISTORY_PACKETS = 128;

    public RouterConfig {
        Objects.requireNonNull(keyframeRequestInterval, "keyframeRequestInterval");
        Objects.requireNonNull(reportInterval, "reportInterval");
        Objects.requireNonNull(transportCcInterval, "transportCcInterval");
        Objects.requireNonNull(nackMaxAge, "nackMaxAge");
        if (keyframeRequestInterval.isNegative()) throw new IllegalArgumentException("negative keyframeRequestInterval");
        if (reportInterval.isNegative() || reportInterval.isZero()) throw new IllegalArgumentException("reportInterval must be positive");
        if (maxPacketSize < 64 || maxPacketSize > 65_535) throw new IllegalArgumentException("maxPacketSize " + maxPacketSize);
        if (cname != null && cname.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) throw new IllegalArgumentException("cname too long");
        if (localSsrc < 0 || localSsrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("localSsrc " + localSsrc);
        if (historyPackets < 16 || historyPackets > 1 << 15 || Integer.bitCount(historyPackets) != 1) {
            throw new IllegalArgumentException("historyPackets must be a power of two in [16, 32768]: " + historyPackets);
        }
        if (transportCcInterval.isNegative() || transportCcInterval.isZero()) throw new IllegalArgumentException("transportCcInterval must be positive");
        if (rembMaxBitrate < 100_000) throw new IllegalArgumentException("rembMaxBitrate below 100 kbit/s: " + rembMaxBitrate);
        if (catchUpSpeed < 0 || catchUpSpeed > 16) throw new IllegalArgumentException("catchUpSpeed " + catchUpSpeed);
        if (nackMaxRetries < 1 || nackMaxRetries > 100) throw new IllegalArgumentException("nackMaxRetries " + nackMaxRetries);
        if (nackMaxAge.isNegative() || nackMaxAge.isZero()) throw new IllegalArgumentException("nackMaxAge must be positive");
    }

    /** The settings from before loss recovery and congestion feedback existed, with their defaults for the rest. */
    public RouterConfig(Duration keyframeRequestInterval, Duration reportInterval, int maxPacketSize, String cname,
                        long localSsrc) {
        this(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, 2048, Duration.ofMillis(50),
                10_000_000, 4, 10, Duration.ofSeconds(1), true);
    }

    public static RouterConfig defaults() {
        return new RouterConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), 1500, null, 0);
    }

    public RouterConfig withKeyframeRequestInterval(Duration d) { return new RouterConfig(d, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withReportInterval(Duration d) { return new RouterConfig(keyframeRequestInterval, d, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withMaxPacketSize(int n) { return new RouterConfig(keyframeRequestInterval, reportInterval, n, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withCname(String c) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, c, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withLocalSsrc(long s) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, s, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withHistoryPackets(int n) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, n, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withTransportCcInterval(Duration d) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, d, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withRembMaxBitrate(long bps) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, bps, catchUpSpeed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withCatchUpSpeed(int speed) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, speed, nackMaxRetries, nackMaxAge, viewerBwe); }

    public RouterConfig withNackMaxRetries(int n) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, n, nackMaxAge, viewerBwe); }

    public RouterConfig withNackMaxAge(Duration d) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, d, viewerBwe); }

    public RouterConfig withViewerBwe(boolean on) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, localSsrc, historyPackets, transportCcInterval, rembMaxBitrate, catchUpSpeed, nackMaxRetries, nackMaxAge, on); }
}
