package live.cascade.sfu.transport;

/**
 * What a transport hands decrypted packets to (the routing layer). Called on the owning media worker's thread;
 * the buffer belongs to the caller and is reused after the call returns, so a receiver that keeps a packet copies it.
 */
public interface MediaReceiver {
    void onRtp(byte[] buf, int off, int len);

    void onRtcp(byte[] buf, int off, int len);
}
