package live.cascade.api.datarights;

import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.recordings.RecordingFiles;
import live.cascade.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Erases accounts whose deletion is due: the database rows (see {@code DataRightsRepository#erase}), the recordings'
 * files on disk, and the account's export files; revokes its sessions and sockets on every node. Checks once a minute.
 */
final class AccountEraser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountEraser.class);

    private final Database db;
    private final RecordingFiles recordings;
    private final Path exports;
    private final NodeCommands commands;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("account-eraser").daemon().factory());

    AccountEraser(Database db, RecordingFiles recordings, Path exports, NodeCommands commands, Clock clock) {
        this.db = db;
        this.recordings = recordings;
        this.exports = exports;
        this.commands = commands;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::eraseDue, 1, 60, TimeUnit.SECONDS);
    }

    private void eraseDue() {
        try {
            for (long id : db.dataRights().dueDeletions(clock.instant(), 100)) erase(id);
        } catch (RuntimeException e) {
            LOG.warn("account erasure pass failed, retried in a minute: {}", e.toString());
        }
    }

    /** Erases the account now; false if it was already gone. */
    boolean erase(long userId) {
        commands.send(new NodeCommand.RevokeUser(userId, NodeCommand.Revocation.LOGGED_OUT_EVERYWHERE));
        var media = db.dataRights().erase(userId);
        if (media.isEmpty()) return false;
        for (String path : media.get()) recordings.deleteDirectoryOf(path);
        deleteTree(exports.resolve(Long.toString(userId)));
        LOG.info("audit account {} erased at its owner's request ({} recording(s) removed)", userId, media.get().size());
        return true;
    }

    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
