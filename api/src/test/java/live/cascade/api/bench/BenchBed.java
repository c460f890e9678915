package live.cascade.api.bench;

import live.cascade.api.media.BrowserHarness;
import live.cascade.api.media.MediaBed;
import live.cascade.api.media.MediaNode;

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

    /** {@code --node="--srtp-profiles AEAD_AES_128_GCM"}: settings for the node, to compare configurations. */
    static BenchBed start(Args args) {
        String node = args.text("node", "").trim();
        MediaBed bed = MediaBed.start(node.isEmpty() ? new String[0] : node.split("\\s+"));
        if (!node.isEmpty()) report("node settings: %s", node);
        return new BenchBed(bed.media(), bed.browser());
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
