package live.cascade.api.harness;

import live.cascade.api.TestNode;
import live.cascade.api.media.MediaNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one JUnit 5 extension behind every browser and media test: a real node and Debian's Chromium, started side by
 * side once per test class (the node on another thread while Playwright, which wants one thread, starts Chromium on
 * this one: several seconds saved per class on a small machine) and closed after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NodeWithBrowser bed = NodeWithBrowser.with("--publisher-grace", "2s");
 *
 * @Test void plays() {
 *     MediaNode.Channel channel = bed.media().createChannel("e2e");
 *     TestPage publisher = bed.chromium().openTestPage("publisher.html", "publisher");
 *     ...
 * }
 * }</pre>
 *
 * <p>The node runs with the live HLS ladder off (see {@link TestNode}) unless its settings name one: the ladder's
 * H.264 encodes would take the CPU the browsers need. Before each test the browser's collected console errors are
 * cleared; after each test its pages are closed (their peer connections end) and any node the test started with
 * {@link #extraNode} is closed. A test that needs settings of its own for one case starts an {@link #extraNode}.
 */
public final class NodeWithBrowser implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final String[] nodeArgs;
    private final boolean withBrowser;
    private final List<TestNode> extraNodes = new ArrayList<>();
    private TestNode node;
    private MediaNode media;
    private Chromium chromium;

    private NodeWithBrowser(String[] nodeArgs, boolean withBrowser) {
        this.nodeArgs = nodeArgs.clone();
        this.withBrowser = withBrowser;
    }

    /** A node with these command-line settings (on top of {@link TestNode}'s) and a Chromium. */
    public static NodeWithBrowser with(String... nodeArgs) {
        return new NodeWithBrowser(nodeArgs, true);
    }

    /** A node with these settings and no browser, for media tests driven by FFmpeg or the packet-level client. */
    public static NodeWithBrowser nodeOnly(String... nodeArgs) {
        return new NodeWithBrowser(nodeArgs, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        CompletableFuture<TestNode> starting = CompletableFuture.supplyAsync(() -> new TestNode(nodeArgs));
        if (withBrowser) {
            try {
                chromium = Chromium.launch();
            } catch (RuntimeException | Error e) {
                starting.thenAccept(TestNode::close);
                throw e;
            }
        }
        try {
            node = starting.join();
        } catch (CompletionException e) {
            if (chromium != null) chromium.close();
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
        media = MediaNode.of(node);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (chromium != null) chromium.clearErrors();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (chromium != null) chromium.closePages();
        } finally {
            closeExtraNodes();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (chromium != null) chromium.close();
        } finally {
            closeExtraNodes();
            if (node != null) node.close();
        }
    }

    private void closeExtraNodes() {
        for (TestNode extra : extraNodes) extra.close();
        extraNodes.clear();
    }

    /** The class's node. */
    public TestNode node() {
        return node;
    }

    /** The same node, with channels to publish to. */
    public MediaNode media() {
        return media;
    }

    /** The class's browser. */
    public Chromium chromium() {
        if (chromium == null) throw new IllegalStateException("this bed was made with nodeOnly(): no browser");
        return chromium;
    }

    /** The node's base URL, without a trailing path. */
    public String base() {
        return node.url("");
    }

    /** Another node with settings of its own for the current test; closed after the test. */
    public MediaNode extraNode(String... nodeArgs) {
        TestNode extra = new TestNode(nodeArgs);
        extraNodes.add(extra);
        return MediaNode.of(extra);
    }
}
