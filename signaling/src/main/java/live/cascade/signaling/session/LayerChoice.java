package live.cascade.signaling.session;

import java.util.List;

/** The outcome of a WHEP viewer's layer request ({@link BroadcastService#selectLayer}). */
public sealed interface LayerChoice {
    /** Done: pinned to {@code rid}, or back to automatic choice when {@code rid} is null. */
    record Applied(String rid) implements LayerChoice {}

    /** No such viewer session (it ended, or the id names a publisher). */
    record NoSession() implements LayerChoice {}

    /** The stream is not sent in simulcast (or the media id names no simulcast section): nothing to choose. */
    record NotSimulcast(String detail) implements LayerChoice {}

    /** The requested layer is not one the publisher offered; {@code layers} are the ones it did. */
    record UnknownLayer(String rid, List<String> layers) implements LayerChoice {}
}
