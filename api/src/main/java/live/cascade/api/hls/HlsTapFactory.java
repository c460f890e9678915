package live.cascade.api.hls;

import live.cascade.hls.HlsTap;
import live.cascade.hls.MediaTaps;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.routing.PacketSink;
import live.cascade.signaling.session.BroadcastTap;
import live.cascade.signaling.session.BroadcastTapFactory;
import live.cascade.signaling.session.ChannelRef;

import java.util.List;
import java.util.Optional;

/** Gives every new broadcast an HLS/recording tap from {@link MediaTaps} (none when both are turned off). */
public final class HlsTapFactory implements BroadcastTapFactory {
    private final MediaTaps taps;

    public HlsTapFactory(MediaTaps taps) {
        this.taps = taps;
    }

    @Override
    public Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe) {
        if (!taps.enabled()) return Optional.empty();
        HlsTap tap = taps.open(channel.id(), channel.slug(), tracks, requestKeyframe);
        return Optional.of(new BroadcastTap() {
            @Override
            public PacketSink sink() { return tap; }

            @Override
            public void close() { tap.close(); }
        });
    }
}
