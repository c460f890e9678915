package live.cascade.ingest.rtmp;

/**
 * One whole RTMP message, reassembled from its chunks.
 *
 * @param type      message type id (1 set chunk size, 8 audio, 9 video, 18 AMF0 data, 20 AMF0 command, ...)
 * @param streamId  message stream id (0 for the connection, the id createStream returned for the stream)
 * @param timestamp milliseconds, 32-bit, as sent (absolute after delta resolution)
 * @param payload   the message body
 */
public record RtmpMessage(int type, int streamId, long timestamp, byte[] payload) {
    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACK_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int COMMAND_AMF0 = 20;
}
