package live.cascade.ingest.rtmp;

/**
 * The peer broke the RTMP protocol (a chunk that cannot be framed, a message too large, an AMF value cut short). A
 * TCP byte stream cannot be resynchronised after that, so the connection is closed and the event counted.
 */
public final class RtmpProtocolException extends RuntimeException {
    public RtmpProtocolException(String message) {
        super(message, null, false, false);
    }
}
