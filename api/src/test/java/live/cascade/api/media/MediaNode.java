package live.cascade.api.media;

import live.cascade.api.TestNode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static live.cascade.api.TestNode.map;

/** A {@link TestNode} (one media worker on a free UDP port) and channels to publish to. */
public final class MediaNode implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final TestNode node;

    /** @param ownerToken a session token of the channel's owner (for the owner-only endpoints) */
    public record Channel(String slug, String streamKey, String whipUrl, String whepUrl, String ownerToken, long id) {
    }

    private MediaNode(TestNode node) {
        this.node = node;
    }

    /** TestNode already gives the node one media worker on a free UDP port ({@code --media-port}, {@code --media-workers 1}). */
    public static MediaNode start() {
        return new MediaNode(new TestNode());
    }

    /** A node with more command-line settings (e.g. {@code --publisher-grace 2s}). */
    public static MediaNode start(String... extraArgs) {
        return new MediaNode(new TestNode(extraArgs));
    }

    /** Channels on a node that is already running (the caller keeps closing it). */
    public static MediaNode of(TestNode node) {
        return new MediaNode(node);
    }

    /** The node a background start produced, with the start's own exception when it failed. */
    public static MediaNode join(CompletableFuture<MediaNode> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** A new public channel owned by a new account; its stream key comes from the create response. */
    public Channel createChannel(String prefix) {
        String slug = prefix + SEQUENCE.incrementAndGet();
        TestNode.Account owner = node.signup("owner_" + slug.replace('-', '_'));
        TestNode.Response r = node.post("/api/channels", owner.token(),
                map("slug", slug, "title", "End-to-end " + slug, "category", "Testing"));
        if (r.status() != 201) throw new AssertionError("channel create failed: " + r.status() + " " + r.body());
        String key = r.json().at("/streamKey").asText();
        return new Channel(slug, key, node.url("/api/whip"), node.url("/api/whep/" + slug), owner.token(),
                r.json().at("/id").asLong());
    }

    @Override
    public void close() {
        node.close();
    }
}
