package live.cascade.signaling.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's open WHIP and WHEP sessions by id, from the answer until the session's transport closes (or its
 * broadcast ends). Request threads add and look up; media workers remove. Also mints the ids and entity tags.
 */
final class SessionRegistry {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, MediaSession> sessions = new ConcurrentHashMap<>();

    MediaSession get(String id) { return sessions.get(id); }

    void add(MediaSession session) { sessions.put(session.id, session); }

    /** Removes the session; its transport is the caller's to close. Returns it, or null if it was gone. */
    MediaSession remove(String id) { return sessions.remove(id); }

    boolean contains(String id) { return sessions.containsKey(id); }

    int size() { return sessions.size(); }

    /** The selected path of every session whose transport has one (a snapshot; sessions come and go meanwhile). */
    java.util.List<SelectedPath> selectedPaths() {
        java.util.List<SelectedPath> out = new java.util.ArrayList<>();
        for (MediaSession s : sessions.values()) {
            var t = s.transport;
            var address = t == null ? null : t.selectedAddress();
            if (address != null) out.add(new SelectedPath(s.id, s.kind, address, t.selectedOverTcp()));
        }
        return out;
    }

    /**
     * On the broadcast's worker, as it ends: viewers negotiated but not yet secure belong to it too; they are removed
     * and their transports closed.
     */
    void closePendingViewers(Broadcast b) {
        sessions.values().removeIf(s -> {
            if (s.broadcast == b && s.kind != SessionKind.PUBLISHER) {
                s.closeTransport();
                return true;
            }
            return false;
        });
    }

    /** The sessions of one channel, publisher first (any thread: the registry's map is concurrent). */
    List<SessionInfo> ofChannel(long channelId) {
        List<SessionInfo> out = new java.util.ArrayList<>();
        for (MediaSession s : sessions.values()) {
            if (s.channel.id() != channelId) continue;
            if (s.kind == SessionKind.PUBLISHER) out.addFirst(s.info());
            else out.add(s.info());
        }
        return out;
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String newEtag() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\"";
    }
}
