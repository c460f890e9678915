package live.cascade.sfu.net;

import live.cascade.sfu.transport.TransportListener;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.TransportControl;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a transport's listener events in order, as strings, and which thread delivered them. */
public final class RecordingListener implements TransportListener {
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    public volatile String lastThread;

    @Override
    public void onConnected(TransportControl t, InetSocketAddress remote) {
        record("connected " + remote);
    }

    @Override
    public void onSecure(TransportControl t) {
        record("secure");
    }

    @Override
    public void onClosed(TransportControl t, CloseReason reason) {
        record("closed " + reason);
    }

    private void record(String event) {
        lastThread = Thread.currentThread().getName();
        log.add(event);
    }

    /** The next event, or null after 10 s. */
    public String next() throws InterruptedException {
        return log.poll(10, TimeUnit.SECONDS);
    }
}
