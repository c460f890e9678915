package live.cascade.hls.restream;

/**
 * How one restream destination is doing, for the studio's stream health.
 *
 * @param detail what happened last, in words (the error FFmpeg gave, when the next attempt is), or null
 */
public record RestreamStatus(long id, String display, State state, String detail) {
    /** {@code CONNECTING}: waiting for a keyframe or connecting; {@code LIVE}: sending; {@code FAILED}: will retry. */
    public enum State { CONNECTING, LIVE, FAILED }
}
