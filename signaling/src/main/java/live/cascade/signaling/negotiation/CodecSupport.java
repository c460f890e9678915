package live.cascade.signaling.negotiation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import live.cascade.signaling.sdp.Fmtp;
import live.cascade.signaling.sdp.RtcpFeedback;
import live.cascade.signaling.sdp.RtpMap;
import live.cascade.sfu.params.Codec;

/** Codec facts both negotiators use: feedback we handle, RTX pairing, and how to name codecs in a failure detail. */
final class CodecSupport {
    private CodecSupport() {}

    /** The RTCP feedback the media plane implements; anything else offered is left out of the answer. */
    static final List<String> FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc", "goog-remb");

    /** Formats that repair, protect or accompany media rather than carry it; never chosen, never named. */
    private static final Set<String> NOT_MEDIA = Set.of("RTX", "RED", "ULPFEC", "FLEXFEC", "FLEXFEC-03", "CN", "TELEPHONE-EVENT");

    /** Names of the static payload types a client may list without an rtpmap (RFC 3551). */
    private static final Map<Integer, String> STATIC = Map.of(0, "PCMU", 3, "GSM", 4, "G723", 8, "PCMA", 9, "G722",
            13, "CN", 18, "G729", 26, "JPEG", 31, "H261", 34, "H263");

    static Map<String, String> parameters(Codec c) {
        return Fmtp.parameters(c.fmtp());
    }

    /** The supported feedback offered for {@code pt} (including {@code *} lines), once each, in offer order. */
    static List<String> feedback(CodecTable m, int pt) {
        Set<String> out = new LinkedHashSet<>();
        for (RtcpFeedback fb : m.feedback(pt)) {
            String normalized = fb.feedback().toLowerCase(Locale.ROOT);
            if (FEEDBACK.contains(normalized)) out.add(normalized);
        }
        return List.copyOf(out);
    }

    /** The offered RTX payload type whose {@code apt} is {@code pt}, if the m-line lists one. */
    static Optional<Integer> rtxFor(CodecTable m, int pt, int clockRate) {
        for (int candidate : m.payloadTypes()) {
            Optional<RtpMap> map = m.rtpMap(candidate);
            if (map.isEmpty() || !map.get().isNamed("rtx") || map.get().clockRate() != clockRate) continue;
            String apt = m.parameters(candidate).get("apt");
            if (Integer.toString(pt).equals(apt)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    static boolean isMedia(RtpMap map) {
        return !NOT_MEDIA.contains(map.upperName());
    }

    static boolean isH264(String name) {
        return name.equalsIgnoreCase("H264");
    }

    /** RFC 6184: packetization-mode defaults to 0 (single NAL unit), which we do not forward. */
    static String packetizationMode(Map<String, String> params) {
        return params.getOrDefault("packetization-mode", "0");
    }

    /** RFC 6184: profile-level-id defaults to 42000a (baseline, level 1). */
    static String profileLevelId(Map<String, String> params) {
        return params.getOrDefault("profile-level-id", "42000a").toLowerCase(Locale.ROOT);
    }

    /** The profile_idc byte of a profile-level-id: what a decoder must support; the level may differ. */
    static String profileIdc(String profileLevelId) {
        return profileLevelId.length() >= 2 ? profileLevelId.substring(0, 2) : profileLevelId;
    }

    /** profile_idc and profile_iop: together they tell constrained baseline (42e0) from baseline (4200). */
    static String profile(String profileLevelId) {
        return profileLevelId.length() >= 4 ? profileLevelId.substring(0, 4) : profileLevelId;
    }

    /** A codec as a person reads it: {@code H264 (profile-level-id 42e01f)}, {@code VP9 (profile-id 2)}, {@code opus}. */
    static String describe(String name, Map<String, String> params) {
        if (isH264(name)) return name + " (profile-level-id " + profileLevelId(params) + ")";
        if (name.equalsIgnoreCase("VP9") && params.containsKey("profile-id")) return name + " (profile-id " + params.get("profile-id") + ")";
        if (name.equalsIgnoreCase("AV1") && params.containsKey("profile")) return name + " (profile " + params.get("profile") + ")";
        return name;
    }

    static String describe(Codec c) {
        return describe(c.name(), parameters(c));
    }

    /**
     * The media codecs a section offers, once each, in m-line order, for failure details. H.264 is listed per
     * profile-level-id and with its packetization mode, since both decide whether we can use it.
     */
    static List<String> offeredNames(CodecTable m) {
        Set<String> out = new LinkedHashSet<>();
        for (int pt : m.payloadTypes()) {
            Optional<RtpMap> map = m.rtpMap(pt);
            if (map.isEmpty()) {
                if (pt != 13) out.add(STATIC.getOrDefault(pt, "payload type " + pt)); // 13 is comfort noise
                continue;
            }
            if (!isMedia(map.get())) continue;
            String name = map.get().encodingName();
            Map<String, String> params = m.parameters(pt);
            out.add(isH264(name)
                    ? name + " (profile-level-id " + profileLevelId(params) + ", packetization-mode " + packetizationMode(params) + ")"
                    : name);
        }
        return new ArrayList<>(out);
    }

    /** Plain names only (no parameters), for the shorter WHEP detail. */
    static List<String> offeredPlainNames(CodecTable m) {
        Set<String> out = new LinkedHashSet<>();
        for (int pt : m.payloadTypes()) {
            Optional<RtpMap> map = m.rtpMap(pt);
            if (map.isPresent() && isMedia(map.get())) out.add(map.get().encodingName());
            else if (map.isEmpty() && STATIC.containsKey(pt) && pt != 13) out.add(STATIC.get(pt));
        }
        return new ArrayList<>(out);
    }

    static String list(List<String> names) {
        return names.isEmpty() ? "no codec" : String.join(", ", names);
    }
}
