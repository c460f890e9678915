package live.cascade.signaling.session;

import java.util.HashMap;
import java.util.Map;

/**
 * Who may open a media session now. Publishers and viewers each have their own share of the node's sessions, so a
 * flood of viewers can never lock out a publisher, nor the reverse. Viewers are also capped by how many of their
 * sessions are still <em>pending</em> (ICE and DTLS not done) per client address and per channel: a flood of offers
 * that never connect is refused, while any number of connected viewers behind one NAT keep watching and joining.
 *
 * <p>Called on request threads (admit) and media workers (secure, release), never on the packet path; a monitor
 * keeps the counts consistent.
 */
final class SessionAdmission {
    private final AdmissionLimits limits;
    private int publishers;
    private int viewers;
    private final Map<String, Integer> pendingByAddress = new HashMap<>();
    private final Map<Long, Integer> pendingByChannel = new HashMap<>();

    SessionAdmission(AdmissionLimits limits) {
        this.limits = limits;
    }

    /** A publisher's slot, or the refusal reason when the publisher share is full. */
    synchronized Decision admitPublisher() {
        if (publishers + viewers >= limits.maxSessions()) return new Denied(Refusal.Reason.PUBLISHER_SHARE_FULL);
        if (publishers >= limits.publisherShare()) return new Denied(Refusal.Reason.PUBLISHER_SHARE_FULL);
        publishers++;
        return new Ticket(SessionKind.PUBLISHER, null, -1);
    }

    /** A viewer's slot, counted as pending for {@code address} and {@code channelId}, or the refusal reason. */
    synchronized Decision admitViewer(String address, long channelId) {
        if (viewers >= limits.viewerShare() || publishers + viewers >= limits.maxSessions()) {
            return new Denied(Refusal.Reason.VIEWER_SHARE_FULL);
        }
        if (pendingByAddress.getOrDefault(address, 0) >= limits.pendingViewersPerAddress()) {
            return new Denied(Refusal.Reason.PENDING_VIEWERS_PER_ADDRESS);
        }
        if (pendingByChannel.getOrDefault(channelId, 0) >= limits.pendingViewersPerChannel()) {
            return new Denied(Refusal.Reason.PENDING_VIEWERS_PER_CHANNEL);
        }
        viewers++;
        pendingByAddress.merge(address, 1, Integer::sum);
        pendingByChannel.merge(channelId, 1, Integer::sum);
        return new Ticket(SessionKind.VIEWER, address, channelId);
    }

    synchronized int publishers() {
        return publishers;
    }

    synchronized int viewers() {
        return viewers;
    }

    synchronized int pendingFrom(String address) {
        return pendingByAddress.getOrDefault(address, 0);
    }

    AdmissionLimits limits() {
        return limits;
    }

    private void notPending(Ticket t) {
        if (t.address == null) return;
        decrement(pendingByAddress, t.address);
        decrement(pendingByChannel, t.channelId);
    }

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** What {@code admit...} decided. */
    sealed interface Decision permits Ticket, Denied {
    }

    /** Refused, and why. */
    record Denied(Refusal.Reason reason) implements Decision {
    }

    /** One admitted session's hold on its share. Both transitions are idempotent. */
    final class Ticket implements Decision {
        private final SessionKind kind;
        private final String address;
        private final long channelId;
        private boolean pending;
        private boolean released;

        private Ticket(SessionKind kind, String address, long channelId) {
            this.kind = kind;
            this.address = address;
            this.channelId = channelId;
            this.pending = address != null;
        }

        /** ICE and DTLS are done: the session no longer counts against its address's and channel's pending caps. */
        void secured() {
            synchronized (SessionAdmission.this) {
                if (released || !pending) return;
                pending = false;
                notPending(this);
            }
        }

        /** The session ended (or was never set up): its slot is free. */
        void release() {
            synchronized (SessionAdmission.this) {
                if (released) return;
                released = true;
                if (pending) {
                    pending = false;
                    notPending(this);
                }
                if (kind == SessionKind.PUBLISHER) publishers--;
                else viewers--;
            }
        }
    }
}
