package live.cascade.api.media;

import static live.cascade.api.media.Viewer.framesDecoded;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import live.cascade.api.TestNode;
import live.cascade.api.harness.Chromium;
import live.cascade.api.harness.NetNamespace;
import live.cascade.api.media.MediaNode.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22, ICE-TCP: a viewer on a network that drops all UDP still plays over WebRTC. The viewer's Chromium runs in a
 * network namespace of the test's own whose UDP the kernel drops (nftables, {@link NetNamespace#dropAllUdp}); the
 * node's media listens only on the host side of the namespace's veth pair (UDP and passive ICE-TCP), and FFmpeg
 * publishes from the host over UDP. The same viewer first plays with UDP open (it must pick UDP: the TCP candidates
 * rank below), then with UDP dropped (it must pick TCP), so the two first-frame times are measured side by side on
 * the same node, publisher and browser.
 */
@Tag("integration")
@Timeout(180)
class IceTcpViewerBrowserTest {
    static NetNamespace ns;
    static MediaNode media;
    static Chromium chromium;

    @BeforeAll
    static void start() {
        ns = NetNamespace.create("it");
        ns.allowUdp(); // counting from the start
        // HTTP on every address (the test talks to it on loopback, the page through the pair); media only on the
        // pair's host side, so the node's only candidates are on the path the namespace's rules shape.
        media = MediaNode.of(new TestNode("--http-host", "0.0.0.0", "--media-host", ns.hostAddress()));
        chromium = Chromium.launch(ns.wrapper(System.getProperty("cascade.chromium", "/usr/bin/chromium")));
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) chromium.close();
            if (media != null) media.close();
        } finally {
            if (ns != null) ns.close();
        }
    }

    @Test
    void aViewerWhoseUdpIsDroppedPlaysOverIceTcpAndAnOpenOnePrefersUdp() {
        Channel channel = media.createChannel("ice-tcp");
        String whep = channel.whepUrl().replace("127.0.0.1", ns.hostAddress());
        try (FfmpegPublisher ffmpeg = FfmpegPublisher.start(channel.whipUrl(), channel.streamKey(), 90)) {
            long udpFirst = play(whep, "udp", ffmpeg);

            ns.dropAllUdp();
            long droppedBefore = ns.udpDropped();
            long tcpFirstFrame = play(whep, "tcp", ffmpeg);
            assertThat(ns.udpDropped() - droppedBefore).as("the viewer's UDP checks the kernel dropped").isPositive();
            ns.allowUdp();
            // Once more over UDP, now that the broadcast runs as long as it did for the TCP viewer (the first viewer
            // may have waited for the broadcast's first keyframe).
            long udpFirstFrame = play(whep, "udp", ffmpeg);

            System.out.printf("[reach] first frame after the WHEP POST, same node, publisher and browser: UDP %d ms "
                    + "(first viewer %d ms), ICE-TCP %d ms%n", udpFirstFrame, udpFirst, tcpFirstFrame);
        }
    }

    /** Plays until 60 frames are decoded over {@code protocol}; returns the first frame's time after the POST (ms). */
    private static long play(String whep, String protocol, FfmpegPublisher ffmpeg) {
        Viewer viewer = Viewer.open(chromium);
        try {
            try {
                viewer.play(whep, false); // retries while the channel answers 409 (not live yet)
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + ffmpeg.diagnostics(), e);
            }
            JsonNode s = Eventually.await("the viewer in the namespace has decoded 60 frames over " + protocol, viewer::stats,
                    x -> framesDecoded(x) >= 60, () -> viewer.diagnostics() + "\n" + ffmpeg.diagnostics());
            assertThat(s.at("/pc/selectedPair/localProtocol").asText()).as("the selected pair's local candidate protocol")
                    .isEqualTo(protocol);
            assertThat(s.at("/pc/selectedPair/remoteProtocol").asText()).isEqualTo(protocol);
            long firstFrame = s.at("/firstPresentedAt").asLong() - s.at("/postAt").asLong();
            assertThat(firstFrame).as("first frame after the POST (ms)").isPositive();
            viewer.stop();
            return firstFrame;
        } finally {
            viewer.close();
        }
    }
}
