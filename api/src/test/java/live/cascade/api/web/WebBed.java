package live.cascade.api.web;

import live.cascade.api.TestNode;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A node and a Chromium for one browser test class. They start side by side (the node on another thread, Chromium on
 * this one, as Playwright wants), which saves several seconds per class on a small machine.
 */
record WebBed(TestNode node, WebBrowser browser) implements AutoCloseable {
    /** A node without the live HLS ladder (see {@link WebNodes#withoutHlsLadder()}) and a browser. */
    static WebBed start() {
        return start(WebNodes::withoutHlsLadder);
    }

    static WebBed start(Supplier<TestNode> nodeFactory) {
        CompletableFuture<TestNode> starting = CompletableFuture.supplyAsync(nodeFactory);
        WebBrowser browser = null;
        try {
            browser = WebBrowser.launch();
        } finally {
            if (browser == null) starting.thenAccept(TestNode::close);
        }
        return new WebBed(starting.join(), browser);
    }

    /** The node's base URL, without a trailing path. */
    String base() { return node.url(""); }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            node.close();
        }
    }
}
