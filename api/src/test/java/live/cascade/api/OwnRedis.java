package live.cascade.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free loopback port, to stop and start at will; never the shared one.
 * Needs /usr/bin/redis-server (or CASCADE_TEST_REDIS_SERVER); without it the test is skipped, or fails with CI=true.
 */
public final class OwnRedis implements AutoCloseable {
    private static final String BINARY = System.getenv().getOrDefault("CASCADE_TEST_REDIS_SERVER", "/usr/bin/redis-server");

    public final int port;
    private final Path dir;
    private Process process;

    public OwnRedis() {
        if (!Files.isExecutable(Path.of(BINARY))) SharedServices.missingService("redis-server binary " + BINARY);
        this.port = SharedServices.freeTcpPort();
        try {
            this.dir = Files.createTempDirectory("cascade-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        try {
            process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!SharedServices.redisAnswers("127.0.0.1", port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("own redis-server on port " + port + " did not start; see " + dir);
            }
            sleep(20);
        }
    }

    /** SIGTERM and wait until it is gone and the port refuses connections. */
    public void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
