package live.cascade.signaling.session;

import live.cascade.sfu.params.TrackParameters;

import java.util.List;
import java.util.Optional;

/** Makes the taps of new broadcasts. Called on the broadcast's media worker: it must not block. */
public interface BroadcastTapFactory {
    /**
     * @param tracks           the publication's tracks (codecs, clock rates, payload types)
     * @param requestKeyframe  asks the publisher for a keyframe (throttled); callable from any thread
     * @return the tap, or empty when this broadcast gets none
     */
    Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe);

    /**
     * As {@link #open(ChannelRef, List, Runnable)}, with {@code requestLayerKeyframes}: asks for a keyframe on every
     * simulcast layer at the same moment (throttled per layer), for a tap that copies the layers.
     */
    default Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe,
                                        Runnable requestLayerKeyframes) {
        return open(channel, tracks, requestKeyframe);
    }

    /**
     * As {@link #open(ChannelRef, List, Runnable, Runnable)}, saying whether the publisher is a WebRTC peer (WHIP, or
     * a relay's WebRTC upstream) or made on this node (RTMP, SRT): only the first answers keyframe requests the way a
     * browser does, sending keyframes only when asked.
     */
    default Optional<BroadcastTap> open(ChannelRef channel, List<TrackParameters> tracks, Runnable requestKeyframe,
                                        Runnable requestLayerKeyframes, boolean webrtcPublisher) {
        return open(channel, tracks, requestKeyframe, requestLayerKeyframes);
    }

    BroadcastTapFactory NONE = (channel, tracks, requestKeyframe) -> Optional.empty();
}
