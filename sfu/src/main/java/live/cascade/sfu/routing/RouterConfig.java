package live.cascade.sfu.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Router tunables.
 *
 * @param keyframeRequestInterval at most one keyframe request per publisher track per this interval
 * @param reportInterval          how often sender reports go to viewers and receiver reports to the publisher
 * @param maxPacketSize           largest RTP packet forwarded; each viewer track's buffer is this plus SRTP tail room
 * @param cname                   CNAME in our SDES, or null for {@code cascade-<channel id>}
 * @param localSsrc               our SSRC in RTCP to the publisher, or 0 to pick one at random
 */
public record RouterConfig(Duration keyframeRequestInterval, Duration reportInterval, int maxPacketSize, String cname,
                           long localSsrc) {
    public RouterConfig {
        Objects.requireNonNull(keyframeRequestInterval, "keyframeRequestInterval");
        Objects.requireNonNull(reportInterval, "reportInterval");
        if (keyframeRequestInterval.isNegative()) throw new IllegalArgumentException("negative keyframeRequestInterval");
        if (reportInterval.isNegative() || reportInterval.isZero()) throw new IllegalArgumentException("reportInterval must be positive");
        if (maxPacketSize < 64 || maxPacketSize > 65_535) throw new IllegalArgumentException("maxPacketSize " + maxPacketSize);
        if (cname != null && cname.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) throw new IllegalArgumentException("cname too long");
        if (localSsrc < 0 || localSsrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("localSsrc " + localSsrc);
    }

    public static RouterConfig defaults() {
        return new RouterConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), 1500, null, 0);
    }

    public RouterConfig withKeyframeRequestInterval(Duration d) { return new RouterConfig(d, reportInterval, maxPacketSize, cname, localSsrc); }

    public RouterConfig withReportInterval(Duration d) { return new RouterConfig(keyframeRequestInterval, d, maxPacketSize, cname, localSsrc); }

    public RouterConfig withMaxPacketSize(int n) { return new RouterConfig(keyframeRequestInterval, reportInterval, n, cname, localSsrc); }

    public RouterConfig withCname(String c) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, c, localSsrc); }

    public RouterConfig withLocalSsrc(long s) { return new RouterConfig(keyframeRequestInterval, reportInterval, maxPacketSize, cname, s); }
}
