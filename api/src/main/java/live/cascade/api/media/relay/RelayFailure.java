package live.cascade.api.media.relay;

/**
 * Why a relay could not be opened.
 *
 * @param originStatus the origin's HTTP status (its problem's detail is in {@code detail}), or 0 when it was not
 *                     reached or its answer was unusable
 * @param detail       for the operator's log and the viewer's problem document
 */
public record RelayFailure(int originStatus, String detail) implements RelayResult {
}
