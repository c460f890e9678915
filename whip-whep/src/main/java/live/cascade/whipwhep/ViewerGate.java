package live.cascade.whipwhep;

import live.cascade.signaling.session.ChannelRef;

import java.util.Optional;

/**
 * Decides whether a WHEP viewer may start watching a channel, given the {@code Authorization: Bearer} value it sent
 * (a private channel's viewer token). Empty means yes; otherwise the detail of the 403 the viewer gets.
 */
@FunctionalInterface
public interface ViewerGate {
    ViewerGate OPEN = (channel, bearer) -> Optional.empty();

    Optional<String> refusal(ChannelRef channel, Optional<String> bearer);
}
