package live.cascade.api.config;

/**
 * RTMP ingest (issue 23).
 *
 * @param rtmpPort TCP port of the RTMP listener, {@link #OFF} when disabled, 0 for any free port (tests)
 * @param rtmpHost address it binds
 */
public record IngestConfig(int rtmpPort, String rtmpHost) {
    public static final int OFF = -1;

    public boolean rtmpEnabled() { return rtmpPort != OFF; }
}
