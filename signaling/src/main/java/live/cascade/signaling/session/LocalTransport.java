package live.cascade.signaling.session;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import live.cascade.sfu.engine.MediaLane;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.transport.CloseReason;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.sfu.transport.TransportListener;

/**
 * The transport of a publisher that is not a WebRTC peer (RTMP, SRT): there is no ICE, DTLS or SRTP, the node makes
 * the RTP itself and hands it to the router's receiver on the lane. What the router sends back (receiver reports,
 * NACKs, keyframe requests) cannot reach such an encoder and is dropped; keyframe requests are counted, since the GOP
 * cache has to serve new viewers instead. Closing it tells the session's events, like a WHIP transport closing.
 */
final class LocalTransport implements TransportControl {
    private final String id;
    private final MediaLane lane;
    private final TransportListener listener;
    private final Runnable onClosed;
    final LongAdder feedbackDropped = new LongAdder();
    private volatile MediaReceiver receiver;
    private volatile boolean closed;

    LocalTransport(String id, MediaLane lane, TransportListener listener, Runnable onClosed) {
        this.id = id;
        this.lane = lane;
        this.listener = listener;
        this.onClosed = onClosed;
    }

    MediaReceiver receiver() { return receiver; }

    boolean closed() { return closed; }

    @Override public String id() { return "local-" + id; }

    @Override public IceParameters localIce() { throw new UnsupportedOperationException("a local publisher has no ICE"); }

    @Override public IceParameters remoteIce() { throw new UnsupportedOperationException("a local publisher has no ICE"); }

    @Override public List<Candidate> localCandidates() { return List.of(); }

    /** No ICE path: sessions by path ({@code cascade_media_sessions_by_path}) count WebRTC transports only. */
    @Override public java.net.InetSocketAddress selectedAddress() { return null; }

    @Override public boolean selectedOverTcp() { return false; }

    @Override public SrtpProfile srtpProfile() { return null; }

    @Override public void setReceiver(MediaReceiver receiver) { this.receiver = receiver; }

    @Override
    public IceParameters restartIce(IceParameters newRemoteIce) {
        throw new IllegalStateException("a local publisher has no ICE to restart");
    }

    @Override public void sendRtp(byte[] buf, int off, int len) { feedbackDropped.increment(); }

    @Override public void sendRtcp(byte[] buf, int off, int len) { feedbackDropped.increment(); }

    @Override public boolean carriesFeedback() { return false; }

    /** From any thread: ends the session on the lane (the broadcast then waits out its grace period). Idempotent. */
    @Override
    public void close() {
        if (lane.onLane()) closeOnLane();
        else lane.execute(this::closeOnLane);
    }

    private void closeOnLane() {
        if (closed) return;
        closed = true;
        receiver = null;
        listener.onClosed(this, CloseReason.DELETED);
        onClosed.run();
    }
}
