package live.cascade.api.config;

import live.cascade.ingest.BFramePolicy;

/**
 * RTMP and SRT ingest (issue 23).
 *
 * @param rtmpPort TCP port of the RTMP listener, {@link #OFF} when disabled, 0 for any free port (tests)
 * @param rtmpHost address it binds (RTMPS too)
 * @param rtmpsPort TCP port of the RTMPS listener (TLS with the node's certificate), {@link #OFF} by default
 * @param srtPort UDP port of the SRT listener, {@link #OFF} by default
 * @param srtHost address the SRT listener binds
 * @param srtLatencyMs SRT receive latency (SRTO_RCVLATENCY)
 * @param srtPassphrase when not empty, SRT callers must encrypt with it
 * @param bframes what a publish whose H.264 has B-frames gets ({@code --ingest-bframes})
 */
public record IngestConfig(int rtmpPort, String rtmpHost, int rtmpsPort, int srtPort, String srtHost, int srtLatencyMs,
                           String srtPassphrase, BFramePolicy bframes) {
    /** RTMP only, SRT off (tests and callers that predate SRT). */
    public IngestConfig(int rtmpPort, String rtmpHost, int rtmpsPort) {
        this(rtmpPort, rtmpHost, rtmpsPort, OFF, "0.0.0.0", 120, "", BFramePolicy.WARN);
    }

    public static final int OFF = -1;

    public boolean rtmpEnabled() { return rtmpPort != OFF; }

    public boolean rtmpsEnabled() { return rtmpsPort != OFF; }

    public boolean srtEnabled() { return srtPort != OFF; }

    @Override
    public String toString() {
        // The passphrase is a secret: never in a log line.
        return "IngestConfig[rtmpPort=" + rtmpPort + ", rtmpHost=" + rtmpHost + ", rtmpsPort=" + rtmpsPort + ", srtPort=" + srtPort
                + ", srtHost=" + srtHost + ", srtLatencyMs=" + srtLatencyMs + ", srtPassphrase=" + (srtPassphrase.isEmpty() ? "none" : "set") + ", bframes=" + bframes + "]";
    }
}
