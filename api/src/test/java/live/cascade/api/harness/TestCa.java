package live.cascade.api.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import live.cascade.api.SharedServices;

/**
 * A certificate authority of the test's own (openssl), a server certificate it signs for one IP address, and a
 * home directory whose NSS database trusts it ({@code certutil}), for a Chromium started with that {@code HOME}: the
 * browser then verifies the server's TLS (TURN over TLS included) against this CA and nothing else is needed.
 */
public final class TestCa implements AutoCloseable {
    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** A CA and a certificate for {@code ip} (subjectAltName IP and CN), both valid for a day. */
    public static TestCa forIp(String ip) {
        for (String tool : List.of("/usr/bin/openssl", "/usr/bin/certutil")) {
            if (!Files.isExecutable(Path.of(tool))) {
                SharedServices.missingService(tool + " (apt-get install -y openssl libnss3-tools), for a test CA Chromium trusts");
            }
        }
        try {
            Path dir = Files.createTempDirectory("test-ca-");
            TestCa ca = new TestCa(dir);
            ca.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Cascade Live test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            ca.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=" + ip);
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:" + ip + "\nextendedKeyUsage=serverAuth\n"
                    + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n", StandardCharsets.UTF_8);
            ca.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.pem", "-days", "1", "-extfile", "server.ext");
            Path nss = dir.resolve("home/.pki/nssdb");
            Files.createDirectories(nss);
            ca.run("certutil", "-d", "sql:" + nss, "-N", "--empty-password");
            ca.run("certutil", "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "cascade-test-ca", "-i", dir.resolve("ca.pem").toString());
            // coturn may run as another user: it must read its key.
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            dir.resolve("server.key").toFile().setReadable(true, false);
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path certificate() { return dir.resolve("server.pem"); }

    public Path key() { return dir.resolve("server.key"); }

    /** A HOME whose NSS database trusts the CA. */
    public Path home() { return dir.resolve("home"); }

    private void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
