package live.cascade.api.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the web app's files come from: the {@code webapp/} folder on the classpath (the cascade-webapp jar), or, for
 * working on the pages, a folder on disk read afresh on every request ({@code -Dcascade.webapp.dir=...}).
 */
interface AssetSource {
    /** Relative paths we serve: plain names in folders, no dot-segments, no hidden files, no backslashes. */
    Pattern SAFE_PATH = Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    /** The file's bytes, or null when there is none (or the path is not one we would serve). */
    byte[] read(String path);

    /** True when files may change while the node runs, so nothing may be cached in memory. */
    boolean live();

    static AssetSource fromEnvironment() {
        String dir = System.getProperty("cascade.webapp.dir");
        return dir == null || dir.isBlank() ? new Classpath("webapp/") : new Directory(Path.of(dir));
    }

    static boolean safe(String path) {
        return path != null && path.length() <= 200 && SAFE_PATH.matcher(path).matches() && !path.contains("..");
    }

    record Classpath(String root) implements AssetSource {
        @Override
        public byte[] read(String path) {
            if (!safe(path)) return null;
            try (InputStream in = WebApp.class.getClassLoader().getResourceAsStream(root + path)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean live() {
            return false;
        }
    }

    record Directory(Path root) implements AssetSource {
        @Override
        public byte[] read(String path) {
            if (!safe(path)) return null;
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root.normalize()) || !Files.isRegularFile(file)) return null;
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean live() {
            return true;
        }
    }
}
