package live.cascade.api.chat;

import live.cascade.api.SharedServices;
import live.cascade.api.TestNode;
import live.cascade.api.config.Setting;

import java.util.ArrayList;
import java.util.List;

/** In-process nodes for chat tests, with the media plane on its own free port so nodes never collide. */
final class ChatNodes {
    private ChatNodes() {
    }

    static TestNode local(String... extra) {
        List<String> args = new ArrayList<>();
        if (Setting.byKey("media-port") != null) args.addAll(List.of("--media-port", Integer.toString(SharedServices.freeUdpPort())));
        if (Setting.byKey("media-workers") != null) args.addAll(List.of("--media-workers", "1"));
        if (Setting.byKey("media-host") != null) args.addAll(List.of("--media-host", "127.0.0.1"));
        args.addAll(List.of(extra));
        return new TestNode(args.toArray(String[]::new));
    }

    static String ws(TestNode node, String channel) {
        return node.url("/api/channels/" + channel + "/chat/ws").replaceFirst("^http", "ws");
    }
}
