package live.cascade.api.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/install.sh} run for real into a staging root ({@code CASCADE_INSTALL_ROOT}), with the commands that
 * would change this machine (useradd, chown, systemctl, install's -o/-g) replaced by stubs that log their arguments:
 * the config, which holds secrets, ends up 0640 and given to root and the group the systemd unit runs as.
 */
@Tag("integration")
class InstallScriptTest {
    static final Path SCRIPT = Path.of("..", "infra", "install.sh").toAbsolutePath().normalize();
    static final Path UNIT = Path.of("..", "infra", "cascade-live.service").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path root;
    Path stubs;
    Path log;

    @BeforeEach
    void stubs() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        stubs = Files.createDirectories(dir.resolve("stubs"));
        log = dir.resolve("commands.log");
        stub("id", "exit 0");
        stub("useradd", "echo \"useradd $*\" >> " + log);
        stub("systemctl", "echo \"systemctl $*\" >> " + log);
        stub("chown", "echo \"chown $*\" >> " + log);
        // The real install, minus the owner and group this test (and machine) may not have.
        stub("install", """
                echo "install $*" >> %s
                args=()
                while [ $# -gt 0 ]; do
                  case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac
                done
                exec /usr/bin/install "${args[@]}"
                """.formatted(log));
    }

    private void stub(String name, String body) throws IOException {
        Path p = stubs.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void runInstall() throws Exception {
        runInstall(Map.of());
    }

    private void runInstall(Map<String, String> env) throws Exception {
        Path jar = Files.writeString(dir.resolve("cascade-live.jar"), "not really a jar");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), jar.toString()).redirectErrorStream(true);
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        pb.environment().put("PATH", stubs + ":" + javaBin + ":" + System.getenv("PATH"));
        pb.environment().put("CASCADE_INSTALL_ROOT", root.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theConfigIsReadableByRootAndTheServiceGroupOnly() throws Exception {
        runInstall();
        Path conf = root.resolve("etc/cascade/cascade.conf");
        assertThat(conf).content().contains("data-dir = /var/lib/cascade");
        assertThat(permissions(conf)).isEqualTo("rw-r-----");
        assertThat(permissions(root.resolve("etc/cascade"))).isEqualTo("rwxr-x---");
        List<String> commands = Files.readAllLines(log);
        assertThat(commands).contains("chown root:cascade " + conf);
        assertThat(commands).anyMatch(c -> c.startsWith("install -d -o root -g cascade -m 0750") && c.endsWith(root.resolve("etc/cascade").toString()));
        assertThat(commands).contains("systemctl enable --now cascade-live");

        // The unit runs in the group the config is given to, so the node can still read it.
        List<String> unit = Files.readAllLines(UNIT);
        assertThat(unit).contains("Group=cascade", "User=cascade");
        assertThat(unit).anyMatch(l -> l.startsWith("ExecStart=") && l.contains("--config /etc/cascade/cascade.conf"));
        assertThat(root.resolve("etc/systemd/system/cascade-live.service")).hasSameTextualContentAs(UNIT);
    }

    @Test
    void aWorldReadableConfigFromAnOlderInstallIsTightenedAndKept() throws Exception {
        Path conf = Files.createDirectories(root.resolve("etc/cascade")).resolve("cascade.conf");
        Files.writeString(conf, "db-password = hunter2hunter2\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        Path env = Files.writeString(root.resolve("etc/cascade/cascade.env"), "CASCADE_SECRET=0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
        runInstall();
        assertThat(conf).content().isEqualTo("db-password = hunter2hunter2\n");
        assertThat(permissions(conf)).isEqualTo("rw-r-----");
        assertThat(permissions(env)).isEqualTo("rw-r-----");
        assertThat(Files.readAllLines(log)).contains("chown root:cascade " + conf, "chown root:cascade " + env);
    }

    @Test
    void withATurnHostCoturnGetsTheExampleConfigAndTheNodeTheSameFreshSecret() throws Exception {
        stub("turnserver", "exit 0");
        Files.createDirectories(root.resolve("etc"));
        runInstall(Map.of("CASCADE_TURN_HOST", "live.example.org", "CASCADE_TURN_MEDIA_IP", "203.0.113.10"));
        Path turn = root.resolve("etc/turnserver.conf");
        String turnConf = Files.readString(turn);
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("(?m)^static-auth-secret=([0-9a-f]{64})$").matcher(turnConf);
        assertThat(secret.find()).as(turnConf).isTrue();
        assertThat(turnConf).contains("use-auth-secret", "realm=live.example.org", "allowed-peer-ip=203.0.113.10",
                "no-multicast-peers", "cert=/etc/letsencrypt/live/live.example.org/fullchain.pem").doesNotContain("@");
        assertThat(permissions(turn)).isEqualTo("rw-r-----");
        assertThat(root.resolve("etc/cascade/cascade.conf")).content().contains("turn-secret = " + secret.group(1))
                .contains("turn-urls = turn:live.example.org:3478?transport=udp,turns:live.example.org:443?transport=tcp");
        assertThat(Files.readAllLines(log)).contains("systemctl enable --now coturn");

        runInstall(Map.of("CASCADE_TURN_HOST", "live.example.org", "CASCADE_TURN_MEDIA_IP", "203.0.113.10"));
        assertThat(Files.readString(root.resolve("etc/cascade/cascade.conf"))).as("a second run keeps the secret")
                .containsOnlyOnce("turn-secret");
        assertThat(Files.readString(turn)).isEqualTo(turnConf);
    }
}
