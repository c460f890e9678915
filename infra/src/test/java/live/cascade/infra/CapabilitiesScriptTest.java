package live.cascade.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package's {@code cascade-capabilities}: the unit gets CAP_NET_BIND_SERVICE (a systemd drop-in) only while the
 * settings name a port below 1024, from the config file or the environment file, and loses it when they no longer do.
 */
class CapabilitiesScriptTest {
    static final Path SCRIPT = Path.of("src/deb/files/cascade-capabilities").toAbsolutePath();
    static final Path UNIT = Path.of("cascade-live.service").toAbsolutePath();

    @TempDir
    Path etc;
    @TempDir
    Path dropins;

    private String run() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("CASCADE_ETC", etc.toString());
        pb.environment().put("CASCADE_DROPIN_DIR", dropins.resolve("cascade-live.service.d").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private Path dropin() {
        return dropins.resolve("cascade-live.service.d/50-low-port.conf");
    }

    @Test
    void theDefaultPortsNeedNoCapability() throws Exception {
        Files.copy(Path.of("src/deb/files/cascade.conf"), etc.resolve("cascade.conf"));
        run();
        assertThat(dropin()).doesNotExist();
        // and the unit itself grants none
        List<String> unit = Files.readAllLines(UNIT);
        assertThat(unit).contains("CapabilityBoundingSet=", "AmbientCapabilities=", "NoNewPrivileges=true", "User=cascade");
    }

    @Test
    void httpsOn443GrantsBindingLowPortsUntilThePortMovesBack() throws Exception {
        Files.writeString(etc.resolve("cascade.conf"), "data-dir = /var/lib/cascade\nhttp-port = 443\n");
        assertThat(run()).contains("443");
        assertThat(dropin()).content().contains("AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "[Service]");

        Files.writeString(etc.resolve("cascade.conf"), "http-port = 8443\n");
        run();
        assertThat(dropin()).doesNotExist();
        assertThat(dropins.resolve("cascade-live.service.d")).doesNotExist();
    }

    @Test
    void aLowPortFromTheEnvironmentFileCountsTooAndCommentsDoNot() throws Exception {
        Files.writeString(etc.resolve("cascade.conf"), "# http-port = 80\nhttp-port = 8080\n");
        run();
        assertThat(dropin()).doesNotExist();
        Files.writeString(etc.resolve("cascade.env"), "CASCADE_HTTP_PORT=\"80\"\n");
        run();
        assertThat(dropin()).exists();
    }

    /** ACME answers HTTP-01 on acme-http-port, 80 unless set: the port counts once acme-domain is set. */
    @Test
    void acmeOnItsDefaultPort80GrantsBindingLowPortsAndAHighAcmeHttpPortDoesNot() throws Exception {
        Files.writeString(etc.resolve("cascade.conf"), "http-port = 8443\nacme-domain = live.example.org\nacme-agree-tos = true\n");
        assertThat(run()).contains("80");
        assertThat(dropin()).exists();

        Files.writeString(etc.resolve("cascade.conf"), "http-port = 8443\nacme-domain = live.example.org\nacme-http-port = 8080\n");
        run();
        assertThat(dropin()).doesNotExist();

        Files.writeString(etc.resolve("cascade.conf"), "http-port = 8443\n# acme-domain = live.example.org\n");
        Files.writeString(etc.resolve("cascade.env"), "CASCADE_ACME_DOMAIN=live.example.org\n");
        run();
        assertThat(dropin()).as("from the environment file").exists();
    }
}
