package live.cascade.signaling.session;

/** The outcome of a non-WebRTC publish (RTMP, SRT): the publisher, or why not. */
public sealed interface LocalPublishResult permits LocalPublisher, Refusal {
}
