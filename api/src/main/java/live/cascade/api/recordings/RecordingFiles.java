package live.cascade.api.recordings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where recordings live on disk: {@code <data-dir>/recordings/<channel id>/<recording>/}. The database keeps paths
 * relative to the data directory, so a data directory can move; this class turns them back into files, and refuses
 * any path that would leave the recordings directory.
 */
public final class RecordingFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingFiles.class);

    private final Path dataDir;
    private final Path root;

    public RecordingFiles(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.root = this.dataDir.resolve("recordings");
    }

    public Path root() { return root; }

    /** The path to store for {@code file} (relative to the data directory, '/' separated). */
    public String relative(Path file) {
        return dataDir.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** The file a stored path names, if it lies inside the recordings directory. */
    public Optional<Path> resolve(String relative) {
        if (relative == null) return Optional.empty();
        Path p = dataDir.resolve(relative).normalize();
        return p.startsWith(root) ? Optional.of(p) : Optional.empty();
    }

    /** A new directory for a clip of channel {@code channelId}. */
    public Path newClipDirectory(long channelId, String stamp, String random) {
        return root.resolve(Long.toString(channelId)).resolve("clip-" + stamp + "-" + random);
    }

    /** Deletes a recording's directory (the one holding its media file), and everything in it. */
    public void deleteDirectoryOf(String mediaRelative) {
        resolve(mediaRelative).map(Path::getParent).filter(d -> !d.equals(root) && d.startsWith(root)).ifPresent(RecordingFiles::deleteTree);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
