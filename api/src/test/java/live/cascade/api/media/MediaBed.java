package live.cascade.api.media;

import java.util.concurrent.CompletableFuture;

/**
 * A media node and a Chromium started side by side: the node on another thread while Playwright (which wants one
 * thread) starts Chromium on this one. The caller closes both.
 */
public record MediaBed(MediaNode media, BrowserHarness browser) {
    /** {@code nodeArgs}: command-line settings for the node (none: {@link MediaNode#start()}). */
    public static MediaBed start(String... nodeArgs) {
        CompletableFuture<MediaNode> node = CompletableFuture.supplyAsync(() -> MediaNode.start(nodeArgs));
        BrowserHarness browser;
        try {
            browser = BrowserHarness.launch();
        } catch (RuntimeException | Error e) {
            node.thenAccept(MediaNode::close);
            throw e;
        }
        try {
            return new MediaBed(MediaNode.join(node), browser);
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }
}
