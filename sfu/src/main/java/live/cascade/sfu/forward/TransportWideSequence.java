package live.cascade.sfu.forward;

import live.cascade.sfu.rtp.SequenceNumbers;

/**
 * The transport-wide sequence number (transport-cc) of one outgoing transport: every packet we send on that
 * transport carrying the extension takes the next value, whichever track it belongs to.
 */
public final class TransportWideSequence {
    private int next;

    public TransportWideSequence(int initial) { this.next = initial & SequenceNumbers.MASK; }

    public int next() {
        int v = next;
        next = (next + 1) & SequenceNumbers.MASK;
        return v;
    }

    public int peek() { return next; }
}
