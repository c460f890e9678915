package live.cascade.sfu.rtcp;

/** View of a receiver report (PT 201). */
public final class RtcpReceiverReport extends RtcpReport {
    public static final int FIXED_LENGTH = 8;

    public RtcpReceiverReport() {
        super(RtcpTypes.RR, FIXED_LENGTH);
    }
}
