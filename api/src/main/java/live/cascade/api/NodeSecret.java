package live.cascade.api;

import live.cascade.api.auth.Secrets;
import live.cascade.api.config.CascadeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * The node secret: configured, or generated once into the data directory (owner-only permissions). It encrypts stream
 * keys and is the root of the playback token key, so every node of a deployment needs the same one.
 */
final class NodeSecret {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSecret.class);

    private NodeSecret() {
    }

    static String resolve(CascadeConfig cfg) {
        if (cfg.secret().isPresent()) return cfg.secret().get();
        Path file = cfg.dataDir().resolve("secret.key");
        if (cfg.redisUrl().isPresent()) {
            LOG.warn("--redis-url is set but --secret is not: this node uses its own secret ({}). Every node of a deployment "
                    + "needs the same --secret, or the others cannot read its stored stream keys and refuse (403) the playback "
                    + "tokens it issues.", file);
        }
        try {
            if (Files.exists(file)) return Files.readString(file, StandardCharsets.US_ASCII).strip();
            String secret = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip(); // another process won the race
            }
            Files.writeString(file, secret, StandardCharsets.US_ASCII);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the node secret " + file, e);
        }
    }
}
