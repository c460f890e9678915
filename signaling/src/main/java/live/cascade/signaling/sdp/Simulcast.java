package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code a=simulcast} (RFC 8853): per direction, a list of streams, each a list of alternative rids. A rid id keeps
 * its {@code ~} prefix when the stream starts paused.
 */
public record Simulcast(List<List<String>> send, List<List<String>> recv) {
    public Simulcast {
        send = send.stream().map(List::copyOf).toList();
        recv = recv.stream().map(List::copyOf).toList();
    }

    public static Simulcast parse(String value) throws SdpParseException {
        List<String> t = Text.tokens(value);
        if (t.isEmpty() || t.size() % 2 != 0 || t.size() > 4) {
            throw new SdpParseException("a=simulcast value " + Text.quote(value)
                    + " is not 'send <streams>' and/or 'recv <streams>'");
        }
        List<List<String>> send = List.of(), recv = List.of();
        boolean seenSend = false, seenRecv = false;
        for (int i = 0; i < t.size(); i += 2) {
            String dir = t.get(i).toLowerCase(Locale.ROOT);
            List<List<String>> streams = streams(t.get(i + 1));
            if (dir.equals("send") && !seenSend) { send = streams; seenSend = true; }
            else if (dir.equals("recv") && !seenRecv) { recv = streams; seenRecv = true; }
            else throw new SdpParseException("a=simulcast direction " + Text.quote(t.get(i)) + " is not send or recv, or repeats");
        }
        return new Simulcast(send, recv);
    }

    private static List<List<String>> streams(String list) throws SdpParseException {
        List<List<String>> out = new ArrayList<>();
        for (String stream : list.split(";", -1)) {
            List<String> alternatives = new ArrayList<>();
            for (String rid : stream.split(",", -1)) {
                String bare = rid.startsWith("~") ? rid.substring(1) : rid;
                if (bare.isEmpty()) throw new SdpParseException("a=simulcast stream list " + Text.quote(list) + " has an empty rid");
                alternatives.add(rid);
            }
            out.add(alternatives);
        }
        return out;
    }
}
