package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

import java.util.Optional;

/**
 * A channel as WHIP/WHEP sees it: who it is, whether it is suspended (no publishing, no playback), and why it may not
 * go live although it plays (e.g. its owner has not verified their e-mail address), if so.
 */
public record PublishTarget(ChannelRef channel, boolean suspended, Optional<String> publishRefusal) {
    public PublishTarget(ChannelRef channel, boolean suspended) {
        this(channel, suspended, Optional.empty());
    }
}
