package live.cascade.api.recordings;

import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.DatabaseException;
import live.cascade.db.NewRecording;
import live.cascade.db.Recording;
import live.cascade.db.StreamSession;
import live.cascade.hls.FinishedRecording;
import live.cascade.hls.RecordingListener;
import live.cascade.hls.record.RecordingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns a finished recording into a draft row. Called on the tap's thread when a broadcast has ended. A recording with
 * nothing playable in it (the broadcast never sent a keyframe) is deleted instead; one that stopped early (full disk)
 * is kept as {@code partial} with its error.
 */
public final class RecordingCatalog implements RecordingListener {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingCatalog.class);

    private final Database db;
    private final RecordingFiles files;

    public RecordingCatalog(Database db, RecordingFiles files) {
        this.db = db;
        this.files = files;
    }

    @Override
    public void onRecordingFinished(FinishedRecording f) {
        RecordingResult r = f.result();
        if (!r.hasMedia()) {
            LOG.info("channel {}: the broadcast left nothing playable to record{}", f.slug(), r.error() == null ? "" : " (" + r.error() + ")");
            RecordingFiles.deleteTree(f.directory());
            return;
        }
        Optional<Channel> channel = db.channels().findById(f.channelId());
        if (channel.isEmpty()) {
            LOG.info("channel {} was deleted while live; its recording is discarded", f.slug());
            RecordingFiles.deleteTree(f.directory());
            return;
        }
        try {
            Recording rec = db.recordings().create(new NewRecording(f.channelId(), session(f), null, channel.get().title(),
                    r.failed() ? Recording.PARTIAL : Recording.READY, r.error(), r.container().extension(), r.videoCodec(),
                    r.audioCodec(), r.width(), r.height(), r.durationMicros() / 1000, r.bytes(), files.relative(r.file()),
                    f.thumbnail() == null ? null : files.relative(f.thumbnail()), null, f.startedAt(), Math.max(1, r.parts().size())));
            LOG.info("channel {}: recording {} saved as a draft ({} s, {} MB{}{})", f.slug(), rec.id(), rec.durationMillis() / 1000,
                    rec.sizeBytes() / 1_000_000, rec.parts() > 1 ? ", in " + rec.parts() + " parts" : "",
                    r.failed() ? ", partial: " + r.error() : "");
        } catch (DatabaseException e) {
            // The files stay; the cleaner removes directories no row refers to once they are a day old.
            LOG.error("channel {}: the recording {} could not be saved in the database: {}", f.slug(), r.file(), e.getMessage());
        }
    }

    /** The broadcast (stream session) this recording belongs to: the channel's newest that started around it. */
    private Long session(FinishedRecording f) {
        List<StreamSession> latest = db.streamSessions().listForChannel(f.channelId(), 1, null);
        if (latest.isEmpty()) return null;
        StreamSession s = latest.getFirst();
        boolean matches = !s.startedAt().isBefore(f.startedAt().minus(Duration.ofMinutes(1))) && !s.startedAt().isAfter(f.endedAt());
        return matches ? s.id() : null;
    }
}
