package live.cascade.api.media;

import live.cascade.api.TestNode;
import live.cascade.api.config.Setting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;

/** A {@link TestNode} with one media worker on a free UDP port, and channels to publish to. */
final class MediaNode implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final TestNode node;
    final int mediaPort;

    record Channel(String slug, String streamKey, String whipUrl, String whepUrl) {
    }

    private MediaNode(TestNode node, int mediaPort) {
        this.node = node;
        this.mediaPort = mediaPort;
    }

    static MediaNode start() {
        int port = freeUdpPort();
        List<String> args = new ArrayList<>();
        if (Setting.byKey("media-port") != null) args.addAll(List.of("--media-port", String.valueOf(port)));
        if (Setting.byKey("media-workers") != null) args.addAll(List.of("--media-workers", "1"));
        return new MediaNode(new TestNode(args.toArray(String[]::new)), port);
    }

    /** A new public channel owned by a new account; its stream key comes from the create response. */
    Channel createChannel(String prefix) {
        String slug = prefix + SEQUENCE.incrementAndGet();
        TestNode.Account owner = node.signup("owner_" + slug.replace('-', '_'));
        TestNode.Response r = node.post("/api/channels", owner.token(),
                map("slug", slug, "title", "End-to-end " + slug, "category", "Testing"));
        if (r.status() != 201) throw new AssertionError("channel create failed: " + r.status() + " " + r.body());
        String key = r.json().at("/streamKey").asText();
        return new Channel(slug, key, node.url("/api/whip"), node.url("/api/whep/" + slug));
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
