package live.cascade.api.media;

import live.cascade.api.TestNode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;

/** A {@link TestNode} (one media worker on a free UDP port) and channels to publish to. */
final class MediaNode implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final TestNode node;

    record Channel(String slug, String streamKey, String whipUrl, String whepUrl) {
    }

    private MediaNode(TestNode node) {
        this.node = node;
    }

    /** TestNode already gives the node one media worker on a free UDP port ({@code --media-port}, {@code --media-workers 1}). */
    static MediaNode start() {
        return new MediaNode(new TestNode());
    }

    /** The node a background start produced, with the start's own exception when it failed. */
    static MediaNode join(CompletableFuture<MediaNode> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
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

    @Override
    public void close() {
        node.close();
    }
}
