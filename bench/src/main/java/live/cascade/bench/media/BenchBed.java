package live.cascade.bench.media;

import live.cascade.api.TestNode;
import live.cascade.api.config.Setting;
import live.cascade.api.harness.Chromium;
import live.cascade.api.media.MediaNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What every media benchmark runs on: one node (one media worker on a free UDP port, in-memory database) and one
 * headless Chromium, both on this machine, talking over its interface address (as the end-to-end tests do).
 */
final class BenchBed implements AutoCloseable {
    final MediaNode media;
    final Chromium browser;

    private BenchBed(MediaNode media, Chromium browser) {
        this.media = media;
        this.browser = browser;
    }

    /** {@code --node="--srtp-profiles AEAD_AES_128_GCM"}: settings for the node, to compare configurations. */
    static BenchBed start(Args args) {
        String node = args.text("node", "").trim();
        // A benchmark's node runs as a deployed one does: with the product's default HLS ladder (TestNode turns it off
        // for tests), unless --node names another.
        List<String> settings = new ArrayList<>(List.of("--hls-ladder", Setting.HLS_LADDER.defaultValue()));
        if (!node.isEmpty()) settings.addAll(List.of(node.split("\\s+")));
        String[] nodeArgs = settings.toArray(String[]::new);
        // The node starts on another thread while Playwright (which wants one thread) starts Chromium on this one.
        // --node-jvm=own: the node in a JVM of its own, as deployed (TestNode#inOwnJvm); the default shares this one,
        // which benchmarks that read the node's internals need.
        String jvm = args.text("node-jvm", "shared");
        if (!jvm.equals("own") && !jvm.equals("shared")) throw new IllegalArgumentException("--node-jvm is own or shared, not " + jvm);
        boolean ownJvm = jvm.equals("own");
        String options = System.getProperty("cascade.nodeJvmOptions", "").trim();
        List<String> jvmOptions = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
        CompletableFuture<MediaNode> starting = CompletableFuture.supplyAsync(
                () -> MediaNode.of(ownJvm ? TestNode.inOwnJvm(jvmOptions, nodeArgs) : new TestNode(nodeArgs)));
        Chromium browser;
        try {
            browser = Chromium.launch();
        } catch (RuntimeException | Error e) {
            starting.thenAccept(MediaNode::close);
            throw e;
        }
        if (!node.isEmpty()) report("node settings: %s", node);
        report("node JVM: %s", ownJvm ? "its own (" + System.getProperty("cascade.nodeJvmOptions", "default options") + ")" : "shared with the benchmark");
        try {
            return new BenchBed(MediaNode.join(starting), browser);
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
