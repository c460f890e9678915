package live.cascade.signaling.negotiation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import live.cascade.signaling.sdp.Fmtp;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.RtcpFeedback;
import live.cascade.signaling.sdp.RtpMap;

/**
 * One m-section's codec attributes read once and indexed by payload type. Browser offers list 30+ payload types
 * with 150 attributes, and the negotiators look each one up several times.
 */
final class CodecTable {
    private final MediaSection section;
    private final List<Integer> payloadTypes;
    private final Map<Integer, RtpMap> rtpMaps = new HashMap<>();
    private final Map<Integer, Map<String, String>> parameters = new HashMap<>();
    private final Map<Integer, String> fmtpStrings = new HashMap<>();
    private final List<RtcpFeedback> feedback;

    CodecTable(MediaSection section) {
        this.section = section;
        this.payloadTypes = section.payloadTypes();
        for (RtpMap m : section.rtpMaps()) rtpMaps.putIfAbsent(m.payloadType(), m);
        for (Fmtp f : section.fmtps()) {
            parameters.putIfAbsent(f.payloadType(), f.parameters());
            fmtpStrings.putIfAbsent(f.payloadType(), f.parameterString());
        }
        this.feedback = section.rtcpFeedback();
    }

    MediaSection section() {
        return section;
    }

    /** The m-line's payload types, in the offerer's order of preference. */
    List<Integer> payloadTypes() {
        return payloadTypes;
    }

    Optional<RtpMap> rtpMap(int pt) {
        return Optional.ofNullable(rtpMaps.get(pt));
    }

    Map<String, String> parameters(int pt) {
        return parameters.getOrDefault(pt, Map.of());
    }

    String fmtp(int pt) {
        return fmtpStrings.getOrDefault(pt, "");
    }

    List<RtcpFeedback> feedback(int pt) {
        return feedback.stream().filter(f -> f.appliesTo(pt)).toList();
    }

    boolean offersName(String name) {
        return rtpMaps.values().stream().anyMatch(m -> m.isNamed(name));
    }
}
