package live.cascade.signaling.negotiation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.Rid;
import live.cascade.signaling.sdp.Simulcast;

/**
 * The simulcast layers a publisher's video section offers (RFC 8853 {@code a=simulcast:send} over RFC 8851
 * {@code a=rid:<id> send}), as we accept them: the first alternative of each stream, paused ones ({@code ~}) included
 * (the client may resume them), each declared by a send rid whose {@code pt=} restriction, if any, allows the codec we
 * chose. Chromium lists its layers as {@code h;m;l} or {@code q;h;f}, OBS 32 as {@code 0;1;2}: the names say nothing
 * about which layer is largest, so the media plane ranks them by what it measures.
 */
final class SimulcastOffer {
    /** More layers than this are declined (the rest are not answered, so the client does not send them). */
    static final int MAX_LAYERS = 4;

    private SimulcastOffer() {}

    /** The rids to receive, in offer order; empty when the section offers no usable simulcast (fewer than two). */
    static List<String> layers(MediaSection m, int chosenPayloadType) {
        Optional<Simulcast> simulcast = m.simulcast();
        if (simulcast.isEmpty() || simulcast.get().send().isEmpty()) return List.of();
        List<Rid> rids = m.rids();
        List<String> out = new ArrayList<>();
        for (List<String> stream : simulcast.get().send()) {
            if (out.size() == MAX_LAYERS) break;
            String id = bare(stream.get(0));
            Optional<Rid> rid = rids.stream().filter(r -> r.id().equals(id) && r.direction() == Rid.Direction.SEND).findFirst();
            if (rid.isEmpty() || !allows(rid.get(), chosenPayloadType) || out.contains(id)) continue;
            out.add(id);
        }
        return out.size() < 2 ? List.of() : List.copyOf(out);
    }

    private static String bare(String rid) { return rid.startsWith("~") ? rid.substring(1) : rid; }

    /** A {@code pt=a,b} restriction lists the payload types the layer may use; none means any. */
    private static boolean allows(Rid rid, int payloadType) {
        for (String restriction : rid.restrictions().split(";")) {
            String r = restriction.trim();
            if (!r.startsWith("pt=")) continue;
            for (String pt : r.substring(3).split(",")) {
                if (pt.trim().equals(Integer.toString(payloadType))) return true;
            }
            return false;
        }
        return true;
    }

    /** The answer's {@code a=simulcast} value: we receive each accepted layer as its own stream. */
    static String answerValue(List<String> layers) { return "recv " + String.join(";", layers); }
}
