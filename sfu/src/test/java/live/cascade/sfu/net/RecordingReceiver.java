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

    private final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();

    @Override public void onRtp(byte[] buf, int off, int len) { rtp.add(Arrays.copyOfRange(buf, off, off + len)); }

    /** Records when the transport says the packet reached the host ({@link System#nanoTime} clock), then the packet. */
    @Override public void onRtp(byte[] buf, int off, int len, long waitedNanos) {
        arrivals.add(System.nanoTime() - waitedNanos);
        onRtp(buf, off, len);
    }

    /** When the next RTP packet reached the host, as its transport reported it ({@link System#nanoTime} clock). */
    public long nextArrivalNanos() throws InterruptedException { return arrivals.poll(5, TimeUnit.SECONDS); }

    @Override public void onRtcp(byte[] buf, int off, int len) { rtcp.add(Arrays.copyOfRange(buf, off, off + len)); }

    public byte[] nextRtp() throws InterruptedException { return rtp.poll(5, TimeUnit.SECONDS); }

    public byte[] nextRtcp() throws InterruptedException { return rtcp.poll(5, TimeUnit.SECONDS); }
}
