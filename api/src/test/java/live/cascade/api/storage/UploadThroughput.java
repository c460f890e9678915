package live.cascade.api.storage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures what uploading a finished recording costs the node: throughput of {@link S3Storage#put} (MD5 and SHA-256
 * of the file, multipart upload, HEAD check) to s3rver on loopback, and the node's CPU time per GB (this process
 * only; s3rver's own CPU is not the node's). Not a test: run by hand, from the api module directory, as
 * {@code java -cp target/cascade-live.jar:target/test-classes live.cascade.api.storage.UploadThroughput [MiB] [runs]}.
 */
public final class UploadThroughput {
    private UploadThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path file = Files.createTempFile("upload-throughput", ".mp4");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) out.write(block);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (S3rver server = S3rver.prepare().start(); S3Storage store = new S3Storage(S3StorageTest.config(server.endpoint()))) {
            store.put("bench/warm-up", file, "video/mp4");
            for (int r = 0; r < runs; r++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                store.put("bench/run-" + r, file, "video/mp4");
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                System.out.printf("run %d: %d MiB in %.2f s = %.1f MiB/s; node CPU %.2f s (%.2f CPU-s per GiB, %.0f%% of one core while uploading)%n",
                        r, mib, s, mib / s, cpu, cpu / (mib / 1024.0), 100 * cpu / s);
                store.delete("bench/run-" + r);
            }
            store.delete("bench/warm-up");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
