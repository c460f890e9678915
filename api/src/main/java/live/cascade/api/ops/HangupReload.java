package live.cascade.api.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code kill -HUP <pid>} (and {@code systemctl reload cascade}) as "read the certificate files again". The JVM's own
 * SIGHUP handler runs the shutdown hooks and exits; installing this one replaces it, on purpose: a hang-up must never
 * stop a node that is serving broadcasts. SIGTERM and SIGINT keep their graceful shutdown.
 */
public final class HangupReload {
    private static final Logger LOG = LoggerFactory.getLogger(HangupReload.class);

    private HangupReload() {
    }

    /**
     * Runs {@code reload} on every SIGHUP, each on a thread the JVM starts for that signal ({@code reload} must take
     * one at a time itself). Where the signal cannot be handled (a JVM started with {@code -Xrs}) the node logs it
     * and runs without.
     */
    public static void install(Runnable reload) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                LOG.info("SIGHUP received: reloading");
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    // In the node's log, where the operator who sent the signal looks, not as a stack trace on stderr.
                    LOG.error("SIGHUP reload failed", e);
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled in this JVM ({}): certificate files are read again only at a restart", e.getMessage());
        }
    }
}
