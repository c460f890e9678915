package live.cascade.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import live.cascade.sfu.params.SrtpProfile;
import live.cascade.sfu.routing.MediaClock;
import live.cascade.sfu.routing.Router;
import live.cascade.sfu.routing.RouterConfig;
import live.cascade.sfu.routing.RouterListener;
import live.cascade.sfu.srtp.SrtpSession;
import live.cascade.sfu.transport.MediaReceiver;
import live.cascade.sfu.transport.MediaTransport;

/**
 * A channel's router as the route, forwarding and spread benchmarks drive it: {@link Streams}' Chromium-like
 * publisher attached on a transport that discards our RTCP to it, its video sent as a 30 fps stream of three packets
 * a frame, and viewers' transports that protect and write into one Netty {@link EmbeddedChannel}, which stands in for
 * the socket (everything up to the kernel's send runs). Each benchmark adds its own viewers, on this router or others.
 */
final class RouterFixture {
    private static final int LENGTH = Streams.videoLength();
    final Router router;
    final MediaReceiver ingress;
    final EmbeddedChannel channel = new EmbeddedChannel();
    private final byte[] packet = Streams.videoPacket(false);
    private int seq = 1;
    private long frame;
    private int transportSequence;

    RouterFixture(RouterConfig config, MediaClock clock) {
        router = new Router("bench", Streams.publisher(), RouterListener.NONE, config, clock, new SplittableRandom(1));
        ingress = router.attachPublisher(new DiscardingTransport(), Streams.publisher());
    }

    /**
     * Viewer {@code i}'s transport, writing to the fixture's channel (not yet added to a router).
     *
     * @param profile null to send without encryption (the forwarding benchmark's baseline)
     */
    SrtpEgressTransport viewerTransport(SrtpProfile profile, int i) {
        SrtpSession srtp = profile == null ? null : Streams.sessionPair(profile, i, true)[0];
        return new SrtpEgressTransport(srtp, channel, new InetSocketAddress("192.0.2.1", 40_000 + i));
    }

    /** A keyframe, for a start: viewers begin at one. */
    void sendKeyframe() {
        byte[] key = Streams.videoPacket(true);
        Streams.stamp(key, seq++, 0, transportSequence++);
        ingress.onRtp(key, 0, LENGTH);
    }

    /** The stream's next (non-key) packet; its timestamp moves every third packet. */
    void sendNext() {
        Streams.stamp(packet, seq++, 3000L * (frame++ / 3), transportSequence++);
        ingress.onRtp(packet, 0, LENGTH);
    }

    /** What the worker's flush does, with the embedded channel's queue standing in for the socket. */
    void drain() {
        channel.flush();
        channel.releaseOutbound();
    }

    void close() {
        router.close();
        channel.finishAndReleaseAll();
    }

    /** The publisher's transport: our RTCP to it (receiver reports, transport-cc feedback) goes nowhere. */
    private static final class DiscardingTransport implements MediaTransport {
        @Override public void sendRtp(byte[] buf, int off, int len) { }

        @Override public void sendRtcp(byte[] buf, int off, int len) { }
    }
}
