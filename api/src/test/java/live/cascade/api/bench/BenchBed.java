package live.cascade.api.bench;

import live.cascade.api.media.BrowserHarness;
import live.cascade.api.media.MediaNode;

import java.util.concurrent.CompletableFuture;

/**
 * What every media benchmark runs on: one node (one media worker on a free UDP port, in-memory database) and one
 * headless Chromium, both on this machine, talking over its interface address (as the end-to-end tests do).
 */
final class BenchBed implements AutoCloseable {
    final MediaNode media;
    final BrowserHarness browser;

    private BenchBed(MediaNode media, BrowserHarness browser) {
        this.media = media;
        this.browser = browser;
    }

    static BenchBed start() {
        // The node starts on another thread while Playwright (which wants one thread) starts Chromium on this one.
        CompletableFuture<MediaNode> node = CompletableFuture.supplyAsync(MediaNode::start);
        BrowserHarness browser;
        try {
            browser = BrowserHarness.launch();
        } catch (RuntimeException | Error e) {
            node.thenAccept(MediaNode::close);
            throw e;
        }
        try {
            return new BenchBed(MediaNode.join(node), browser);
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    /** One result line; grep for {@code [bench]}. */
    static void report(String format, Object... args) {
        System.out.println("[bench] " + String.format(format, args));
    }

    /** The interval between two samples of a benchmark. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            media.close();
        }
    }
}
