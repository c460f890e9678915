package live.cascade.sfu.rtcp;

import live.cascade.sfu.rtp.BigEndian;

/** View of a sender report (PT 200): sender info and report blocks. */
public final class RtcpSenderReport extends RtcpReport {
    public static final int FIXED_LENGTH = 28;

    public RtcpSenderReport() {
        super(RtcpTypes.SR, FIXED_LENGTH);
    }

    /** The full 64-bit NTP timestamp. */
    public long ntpTimestamp() { return BigEndian.u64(buf, off + 8); }

    public long rtpTimestamp() { return BigEndian.u32(buf, off + 16); }

    public long packetCount() { return BigEndian.u32(buf, off + 20); }

    public long octetCount() { return BigEndian.u32(buf, off + 24); }
}
