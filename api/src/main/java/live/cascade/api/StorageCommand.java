package live.cascade.api;

import live.cascade.api.config.CascadeConfig;
import live.cascade.api.config.ConfigException;
import live.cascade.api.config.ConfigLoader;
import live.cascade.api.config.StorageConfig;
import live.cascade.api.recordings.LibraryMigration;
import live.cascade.api.recordings.RecordingFiles;
import live.cascade.api.recordings.RecordingStorage;
import live.cascade.db.Database;
import live.cascade.db.DatabaseConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar cascade-live.jar storage migrate --to s3 [--setting value ...]}: moves the node's local library
 * (recordings, clips, posters under the data directory) to the bucket the same settings name. Run it with the node
 * stopped when it uses the embedded database (H2 allows one process); against PostgreSQL a running node may go on.
 */
final class StorageCommand {
    private StorageCommand() {
    }

    static final String USAGE = "Usage: java -jar cascade-live.jar storage migrate --to s3 [--s3-bucket … --s3-endpoint … and the node's other settings]";

    /** Runs the command; returns the process exit code (0: everything on this node is in the bucket). */
    static int run(String[] args, java.util.Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> a = Arrays.asList(args);
        if (a.size() < 4 || !a.get(0).equals("storage") || !a.get(1).equals("migrate") || !a.get(2).equals("--to")) {
            err.println(USAGE);
            return 2;
        }
        if (!a.get(3).equals("s3")) {
            err.println("cascade: storage migrate --to " + a.get(3) + ": only s3 is supported (a library in a bucket stays there)");
            return 2;
        }
        String[] rest = a.subList(4, a.size()).toArray(String[]::new);
        String[] withS3 = new String[rest.length + 2];
        withS3[0] = "--storage";
        withS3[1] = "s3";
        System.arraycopy(rest, 0, withS3, 2, rest.length); // a --storage among the settings is overridden below
        CascadeConfig config;
        try {
            config = ConfigLoader.load(withS3, env);
        } catch (ConfigException e) {
            err.println("cascade: " + e.getMessage());
            return 2;
        }
        if (config.storage().kind() != StorageConfig.Kind.S3) {
            err.println("cascade: storage migrate --to s3 moves the library to object storage: drop --storage local");
            return 2;
        }
        String user = config.dbUser().isEmpty() && config.embeddedDatabase() ? "sa" : config.dbUser();
        try (Database db = Database.open(new DatabaseConfig(config.dbUrl(), user, config.dbPassword(), config.dbPoolSize()))) {
            RecordingFiles files = new RecordingFiles(config.dataDir());
            try (RecordingStorage storage = RecordingStorage.of(config.storage(), db, files, config.dataDir(), Clock.systemUTC())) {
                storage.store().orElseThrow().ping();
                LibraryMigration.Result r = new LibraryMigration(db, files, storage).run();
                out.printf("storage migrate: %d moved to s3://%s/%s, %d not on this node, %d failed (run again to retry)%n",
                        r.moved(), config.storage().bucket(), config.storage().prefix(), r.missing(), r.failed());
                return r.failed() == 0 ? 0 : 1;
            }
        } catch (live.cascade.api.storage.StorageException e) {
            err.println("cascade: the bucket cannot be reached: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("cascade: storage migrate failed: " + e);
            return 1;
        }
    }
}
