package live.cascade.sfu.testkit.client;

import java.util.ArrayList;
import java.util.List;

/** The RTCP the client understands, read from a decrypted compound packet by the client's own small walker. */
public sealed interface ReceivedRtcp {
    /** A generic NACK (RFC 4585 §6.2.1), expanded to sequence numbers. */
    record Nack(long senderSsrc, long mediaSsrc, List<Integer> seqs) implements ReceivedRtcp {}

    /** A picture loss indication. */
    record Pli(long senderSsrc, long mediaSsrc) implements ReceivedRtcp {}

    /** A sender report's NTP/RTP mapping. */
    record SenderReport(long ssrc, long ntp, long rtpTimestamp, long packets, long octets) implements ReceivedRtcp {}

    /** Anything else: receiver reports, SDES, REMB, transport-cc, BYE. */
    record Other(int packetType, int format) implements ReceivedRtcp {}

    /** Splits a compound packet; stops quietly at a malformed length, as a receiver would. */
    static List<ReceivedRtcp> parse(byte[] p) {
        List<ReceivedRtcp> out = new ArrayList<>();
        int pos = 0;
        while (p.length - pos >= 8) {
            int format = p[pos] & 0x1F;
            int type = p[pos + 1] & 0xFF;
            int length = 4 * (ReceivedRtp.u16(p, pos + 2) + 1);
            if ((p[pos] & 0xC0) != 0x80 || pos + length > p.length) break;
            long sender = ReceivedRtp.u32(p, pos + 4);
            if (type == 205 && format == 1 && length >= 12) {
                long media = ReceivedRtp.u32(p, pos + 8);
                List<Integer> seqs = new ArrayList<>();
                for (int at = pos + 12; at + 4 <= pos + length; at += 4) {
                    int pid = ReceivedRtp.u16(p, at);
                    int blp = ReceivedRtp.u16(p, at + 2);
                    seqs.add(pid);
                    for (int bit = 0; bit < 16; bit++) if ((blp & (1 << bit)) != 0) seqs.add((pid + bit + 1) & 0xFFFF);
                }
                out.add(new Nack(sender, media, List.copyOf(seqs)));
            } else if (type == 206 && format == 1 && length >= 12) {
                out.add(new Pli(sender, ReceivedRtp.u32(p, pos + 8)));
            } else if (type == 200 && length >= 28) {
                long ntp = ReceivedRtp.u32(p, pos + 8) << 32 | ReceivedRtp.u32(p, pos + 12);
                out.add(new SenderReport(sender, ntp, ReceivedRtp.u32(p, pos + 16), ReceivedRtp.u32(p, pos + 20),
                        ReceivedRtp.u32(p, pos + 24)));
            } else {
                out.add(new Other(type, format));
            }
            pos += length;
        }
        return out;
    }
}
