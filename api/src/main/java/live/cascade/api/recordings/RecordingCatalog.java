package live.cascade.api.recordings;

import live.cascade.api.durability.DatabaseWriteQueue;
import live.cascade.db.Database;
import live.cascade.hls.FinishedRecording;
import live.cascade.hls.RecordingListener;
import live.cascade.hls.record.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Turns a finished recording into a draft row. Called on the tap's thread when a broadcast has ended. A recording with
 * nothing playable in it (the broadcast never sent a keyframe) is deleted instead; one that stopped early (full disk)
 * is kept as {@code partial} with its error.
 *
 * <p>The row goes through the node's write queue (retried while the database is unreachable), and a
 * {@link PendingRecording} file beside the media says what the row will hold until it is written: should the row
 * never be written by the queue (it overflowed, the node stopped first), the cleaner writes it from that file.
 */
public final class RecordingCatalog implements RecordingListener {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingCatalog.class);

    private final Database db;
    private final RecordingFiles files;
    private final DatabaseWriteQueue writes;
    private final RecordingEvents events;

    public RecordingCatalog(Database db, RecordingFiles files, DatabaseWriteQueue writes, RecordingEvents events) {
        this.events = events;
        this.db = db;
        this.files = files;
        this.writes = writes;
    }

    @Override
    public void onRecordingFinished(FinishedRecording f) {
        RecordingResult r = f.result();
        if (!r.hasMedia()) {
            LOG.info("channel {}: the broadcast left nothing playable to record{}", f.slug(), r.error() == null ? "" : " (" + r.error() + ")");
            RecordingFiles.deleteTree(f.directory());
            return;
        }
        PendingRecording pending = PendingRecording.of(f, files);
        try {
            pending.save(f.directory());
        } catch (IOException e) {
            // The queued write below still saves the row; only its fallback (the cleaner) is lost.
            LOG.warn("channel {}: cannot write {} in {}: {}", f.slug(), PendingRecording.FILE, f.directory(), e.toString());
        }
        if (!writes.submit("save the recording of channel " + f.slug(), () -> pending.attach(db, f.directory(), events))) {
            LOG.warn("channel {}: the recording {} waits on disk for its row; the recording cleaner adds it from {}",
                    f.slug(), r.file(), PendingRecording.FILE);
        }
    }
}
