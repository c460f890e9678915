package live.cascade.sfu.net;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import live.cascade.sfu.transport.MediaReceiver;

/** Copies every decrypted packet it is handed (the buffer is the worker's and is reused). */
public final class RecordingReceiver implements MediaReceiver {
    private final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();

    @Override public void onRtp(byte[] buf, int off, int len) { rtp.add(Arrays.copyOfRange(buf, off, off + len)); }

    @Override public void onRtcp(byte[] buf, int off, int len) { rtcp.add(Arrays.copyOfRange(buf, off, off + len)); }

    public byte[] nextRtp() throws InterruptedException { return rtp.poll(5, TimeUnit.SECONDS); }

    public byte[] nextRtcp() throws InterruptedException { return rtcp.poll(5, TimeUnit.SECONDS); }
}
