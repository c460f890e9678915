package live.cascade.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded default: objects are files under a directory of the node's disk, served by the node itself. With
 * {@code --storage local} recordings simply stay where the recorder wrote them; this class is the same seam for code
 * that stores by key (tests, and a migration's source of truth when a library is moved between stores).
 */
public final class LocalStorage implements ObjectStore {
    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String kind() { return "local"; }

    private Path file(String key) throws StorageException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) throw new StorageException("key " + key + " leaves the storage directory", false);
        return p;
    }

    @Override
    public StoredObject put(String key, Path source, String contentType) throws StorageException {
        Path target = file(key);
        try {
            Checksums.Digests want = Checksums.of(source);
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Checksums.Digests got = Checksums.of(tmp);
            if (got.size() != want.size() || !got.sha256Hex().equals(want.sha256Hex())) {
                Files.deleteIfExists(tmp);
                throw new StorageException("copy of " + source + " differs from its source", true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new StoredObject(key, got.size(), got.sha256Hex());
        } catch (IOException e) {
            throw new StorageException("cannot store " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public Optional<StoredObject> head(String key) throws StorageException {
        Path f = file(key);
        try {
            return Files.isRegularFile(f) ? Optional.of(new StoredObject(key, Files.size(f), null)) : Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new StorageException("cannot delete " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public void download(String key, Path target) throws StorageException {
        try {
            Files.copy(file(key), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new StorageException("no object " + key, false, e);
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public byte[] read(String key) throws StorageException {
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            throw new StorageException("no object " + key, false, e);
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public Ranged open(String key, String range) throws StorageException {
        // The node serves local files with its own Range support (ByteRanges); this whole-file form is for callers
        // that only need the bytes.
        try {
            Path f = file(key);
            InputStream in = Files.newInputStream(f);
            return new Ranged(200, Files.size(f), null, "application/octet-stream", in);
        } catch (NoSuchFileException e) {
            throw new StorageException("no object " + key, false, e);
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public Optional<URI> presign(String key, Duration lifetime, String contentType) {
        return Optional.empty();
    }

    @Override
    public void ping() throws StorageException {
        if (!Files.isDirectory(root) && !root.toFile().mkdirs()) throw new StorageException("cannot create " + root, true);
    }

    @Override
    public void close() {
    }
}
