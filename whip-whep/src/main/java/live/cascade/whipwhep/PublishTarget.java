package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

/** A channel as WHIP/WHEP sees it: who it is and whether it may broadcast. */
public record PublishTarget(ChannelRef channel, boolean suspended) {
}
