package live.cascade.hls.llhls;

import java.time.Instant;
import java.util.List;

/**
 * A complete media segment of a low-latency playlist, with the parts it was made of while they are still listed.
 *
 * @param uri             {@code MSN.m4s}, the file the plain HLS output wrote (the concatenation of the parts)
 * @param mapUri          its initialization segment
 * @param programDateTime wall-clock time of its first frame at the publisher, or null
 * @param parts           its parts, or empty once they are no longer listed
 */
record FullSegment(long msn, String uri, String mapUri, long durationMicros, boolean discontinuity, Instant programDateTime,
                   List<Part> parts) {
    FullSegment withoutParts() {
        return new FullSegment(msn, uri, mapUri, durationMicros, discontinuity, programDateTime, List.of());
    }
}
