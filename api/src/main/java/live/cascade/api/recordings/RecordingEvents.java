package live.cascade.api.recordings;

import live.cascade.db.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who hears that a recording or a clip has become playable (its row is written): webhooks, for {@code recording.ready}
 * and {@code clip.ready}. Listeners are added while the node starts; they are called on the thread that wrote the row
 * (the database write queue, the cleaner, a clip request) and must only hand the event on.
 */
public final class RecordingEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingEvents.class);

    public interface Listener {
        /** A broadcast's recording has its row: {@code slug} is its channel's. */
        void recordingReady(Recording recording, String slug);

        /** A clip was cut from a recording of channel {@code slug}. */
        void clipReady(Recording clip, String slug);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void add(Listener listener) {
        listeners.add(listener);
    }

    void recordingReady(Recording recording, String slug) {
        for (Listener l : listeners) {
            try {
                l.recordingReady(recording, slug);
            } catch (RuntimeException e) {
                LOG.warn("recording {} of {}: a listener failed: {}", recording.id(), slug, e.toString());
            }
        }
    }

    void clipReady(Recording clip, String slug) {
        for (Listener l : listeners) {
            try {
                l.clipReady(clip, slug);
            } catch (RuntimeException e) {
                LOG.warn("clip {} of {}: a listener failed: {}", clip.id(), slug, e.toString());
            }
        }
    }
}
