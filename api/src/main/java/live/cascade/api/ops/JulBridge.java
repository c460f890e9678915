package live.cascade.api.ops;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (what Jitsi's ICE, SRTP and utility libraries log through) into SLF4J and so Logback, so
 * every event is one line in the node's one format. JUL's own console handler is removed, or each event would also
 * appear a second time, on two lines, in JUL's format.
 */
public final class JulBridge {
    private JulBridge() {
    }

    /** Idempotent; call before anything logs through JUL. */
    public static synchronized void install() {
        if (SLF4JBridgeHandler.isInstalled()) return;
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
