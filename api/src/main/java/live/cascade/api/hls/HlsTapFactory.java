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

/**
 * Gives every new broadcast a tap from {@link MediaTaps}: for HLS and recordings, and for restreaming even when both
 * are turned off (none only when the node neither makes HLS or recordings nor restreams).
 */
public final class HlsTapFactory implements BroadcastTapFactory {
    private final MediaTaps taps;

    public HlsTapFactory(MediaTaps taps) {
        this.taps = taps;
    }

    @Override
    public Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe) {
        return open(channel, tracks, requestKeyframe, requestKeyframe);
    }

    @Override
    public Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe,
                                       Runnable requestLayerKeyframes) {
        return open(channel, tracks, requestKeyframe, requestLayerKeyframes, true);
    }

    @Override
    public Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe,
                                       Runnable requestLayerKeyframes, boolean webrtcPublisher) {
        if (!taps.tapsBroadcasts()) return Optional.empty();
        HlsTap tap = taps.open(channel.id(), channel.slug(), tracks, requestKeyframe, requestLayerKeyframes, webrtcPublisher);
        return Optional.of(new BroadcastTap() {
            @Override
            public PacketSink sink() { return tap; }

            @Override
            public void originalAudio(byte[] config, byte[] frame, int off, int len, long rtpTimestamp) {
                tap.onOriginalAudio(config, frame, off, len, rtpTimestamp);
            }

            @Override
            public void directVideo(byte[] config, byte[] frame, int off, int len, long timestamp, int composition, boolean keyframe) {
                tap.onDirectVideo(config, frame, off, len, timestamp, composition, keyframe);
            }

            @Override
            public void directVideoReport(long ntpTimestamp, long timestamp) {
                tap.onSenderReport(live.cascade.sfu.params.MediaKind.VIDEO, ntpTimestamp, timestamp);
            }

            @Override
            public void close() { tap.close(); }
        });
    }
}
