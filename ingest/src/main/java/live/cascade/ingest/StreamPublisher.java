package live.cascade.ingest;

/**
 * One admitted RTMP (later SRT) publish: FLV-style media in, into the channel's live router. Called on the
 * connection's event-loop thread only.
 */
public interface StreamPublisher extends AutoCloseable {
    /** One FLV video tag body (RTMP message type 9) with its timestamp in milliseconds. */
    void video(long timestampMillis, byte[] tag);

    /** One FLV audio tag body (RTMP message type 8). */
    void audio(long timestampMillis, byte[] tag);

    /**
     * The publish carries video this path cannot take at all (over SRT: an MPEG-TS video stream that is neither H.264
     * nor HEVC, e.g. AV1, which the bundled FFmpeg reads only as an unnamed private stream), so the creator can be told
     * why the broadcast has no picture. {@code what} names it for people. At most once per stream.
     */
    default void unsupportedVideo(String what) { }

    /** Ends the publish: the channel waits out its grace period as after a WHIP publisher leaves. Idempotent. */
    @Override
    void close();
}
