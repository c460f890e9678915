package live.cascade.sfu.transport;

/**
 * What a transport hands decrypted packets to (the routing layer). Called on the owning media worker's thread;
 * the buffer belongs to the caller and is reused after the call returns, so a receiver that keeps a packet copies it.
 */
public interface MediaReceiver {
    void onRtp(byte[] buf, int off, int len);

    /**
     * As {@link #onRtp(byte[], int, int)} for a packet that reached this host {@code waitedNanos} before this call
     * (from the kernel's receive timestamp: the time it waited for the worker and was decrypted). Receivers that
     * report arrival times (transport-cc) use the earlier time; others need not care.
     */
    default void onRtp(byte[] buf, int off, int len, long waitedNanos) { onRtp(buf, off, len); }

    void onRtcp(byte[] buf, int off, int len);
}
