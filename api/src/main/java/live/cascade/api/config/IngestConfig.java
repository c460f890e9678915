package live.cascade.api.config;

/**
 * RTMP ingest (issue 23).
 *
 * @param rtmpPort TCP port of the RTMP listener, {@link #OFF} when disabled, 0 for any free port (tests)
 * @param rtmpHost address it binds (RTMPS too)
 * @param rtmpsPort TCP port of the RTMPS listener (TLS with the node's certificate), {@link #OFF} by default
 */
public record IngestConfig(int rtmpPort, String rtmpHost, int rtmpsPort) {
    public static final int OFF = -1;

    public boolean rtmpEnabled() { return rtmpPort != OFF; }

    public boolean rtmpsEnabled() { return rtmpsPort != OFF; }
}
