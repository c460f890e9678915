package live.cascade.api.media.relay;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import live.cascade.signaling.session.ChannelRef;
import live.cascade.signaling.session.RelaySession;

/** One channel's relay and its reference count; guarded by the {@link OriginRelays} that owns it. */
final class RelayEntry {
    final ChannelRef channel;
    final URI origin;
    /** Completes once the relay is open (or failed to open); every acquirer waits on it. */
    final CompletableFuture<RelayResult> opened = new CompletableFuture<>();
    RelaySession session;
    int refs;
    ScheduledFuture<?> linger;
    boolean closing;

    RelayEntry(ChannelRef channel, URI origin) {
        this.channel = channel;
        this.origin = origin;
    }
}
