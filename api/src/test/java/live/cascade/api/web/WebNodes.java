package live.cascade.api.web;

import live.cascade.api.TestNode;
import live.cascade.api.config.Setting;

import java.util.ArrayList;
import java.util.List;

/** Nodes for the web app tests. */
final class WebNodes {
    private WebNodes() {
    }

    /**
     * A node without the live HLS ladder, for tests that don't play HLS: on a small shared test machine the ladder's
     * H.264 encodes would take the CPU the browsers need. (On a build without HLS the flag does not exist, and
     * there is nothing to turn off.)
     */
    static TestNode withoutHlsLadder() {
        List<String> args = new ArrayList<>();
        if (Setting.byKey("hls-ladder") != null) args.addAll(List.of("--hls-ladder", "off"));
        return new TestNode(args.toArray(String[]::new));
    }
}
