package live.cascade.ingest.flv;

/** An FLV tag body that cannot be read; the tag is dropped and counted, the connection goes on. */
public final class FlvException extends RuntimeException {
    public FlvException(String message) {
        super(message, null, false, false);
    }
}
