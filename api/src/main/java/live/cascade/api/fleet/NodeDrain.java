package live.cascade.api.fleet;

import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.signaling.session.BroadcastService;
import live.cascade.signaling.session.BroadcastState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Draining this node (an administrator's {@code POST /api/admin/nodes/{id}/drain}, delivered as a node command):
 * the registry hears at once that it takes no new session, so steering and {@code /edges} pass it over; WHIP here
 * answers 503 naming another node and WHEP redirects to one; the broadcasts here end, which closes the publishers'
 * WHIP sessions (OBS and the studio retry, and land elsewhere) and the viewers' WHEP sessions (the player retries from
 * {@code /edges}); then, when no session is left or after {@code timeout}, the process exits (its shutdown hook stops
 * the node in order). Before any of that, players with a WHEP event stream are told {@code reconnect}
 * ({@link #RECONNECT_NOTICE} is their time to hear it), and the web player moves to the next node of its list.
 */
public final class NodeDrain implements NodeCommands.Handler {
    /** A little over the WHEP event streams' poll (1 s). */
    static final Duration RECONNECT_NOTICE = Duration.ofMillis(1500);

    private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
    private final FleetNode node;
    private final BroadcastService broadcasts;
    private final Duration timeout;
    private final Runnable exit;
    private volatile boolean started;

    /** @param exit ends the process (System.exit(0) in a node; the shutdown hook closes it) */
    public NodeDrain(FleetNode node, BroadcastService broadcasts, Duration timeout, Runnable exit) {
        this.node = node;
        this.broadcasts = broadcasts;
        this.timeout = timeout;
        this.exit = exit;
    }

    @Override
    public void handle(NodeCommand command) {
        if (command instanceof NodeCommand.DrainNode d && d.nodeId().equals(node.id())) start();
    }

    public synchronized void start() {
        if (started) return;
        started = true;
        node.drain();
        LOG.warn("draining: no new sessions; ending {} broadcast(s) here, then exiting (at most {})", broadcasts.states().size(), timeout);
        Thread.ofPlatform().daemon().name("node-drain").start(this::run);
    }

    private void run() {
        // Players' WHEP event streams look at the draining flag once a second: give them time to say "reconnect"
        // (the player then moves to another node) before their sessions close here.
        try {
            Thread.sleep(RECONNECT_NOTICE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (BroadcastState s : broadcasts.states()) broadcasts.stop(s.channel().id());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (broadcasts.sessionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("drained ({} session(s) left); exiting", broadcasts.sessionCount());
        exit.run();
    }
}
