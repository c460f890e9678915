package live.cascade.hls.sync;

import live.cascade.hls.rtp.EncodedFrame;

/** A coded frame placed on the tap's output timeline: microseconds since the timeline's zero. */
public record TimedFrame(EncodedFrame frame, long ptsMicros) {
}
