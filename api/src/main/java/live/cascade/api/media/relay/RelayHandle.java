package live.cascade.api.media.relay;

import java.util.concurrent.atomic.AtomicBoolean;
import live.cascade.signaling.session.ChannelRef;

/**
 * One holder's reference on a channel's relay (typically one viewer of the channel on this node). Give it back with
 * {@link OriginRelays#release} exactly once; a second release is ignored.
 */
public final class RelayHandle implements RelayResult {
    final RelayEntry entry;
    final AtomicBoolean released = new AtomicBoolean();

    RelayHandle(RelayEntry entry) {
        this.entry = entry;
    }

    public ChannelRef channel() { return entry.channel; }

    /** The relay's publisher session on this node. */
    public String sessionId() { return entry.session.sessionId(); }

    /** False once the relay closed (the origin dropped it, or it went away): acquire again for a new one. */
    public boolean open() { return !entry.session.closed().isDone(); }
}
