package live.cascade.api.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/install.sh} hands the Debian package to apt (or dpkg), with the commands that would change this machine
 * replaced by stubs that log their arguments. What the package itself does on install (user, directories, the 0640
 * settings, sysctls) is {@code infra}'s DebPackageTest, for real.
 */
class InstallScriptTest {
    static final Path SCRIPT = Path.of("..", "infra", "install.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path stubs;
    Path log;

    @BeforeEach
    void stubs() throws IOException {
        stubs = Files.createDirectories(dir.resolve("stubs"));
        log = dir.resolve("commands.log");
        stub("id", "[ \"$1\" = -u ] && echo 0");
        stub("apt-get", "echo \"apt-get $*\" >> " + log);
        stub("dpkg", "echo \"dpkg $*\" >> " + log);
    }

    private void stub(String name, String body) throws IOException {
        Path p = stubs.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int exit, String out) {}

    private Run install(String... args) throws Exception {
        return install(java.util.Map.of(), args);
    }

    private Run install(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", stubs + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theNamedPackageGoesToAptByItsAbsolutePath() throws Exception {
        Path deb = Files.writeString(dir.resolve("cascade-live_1.2.3_amd64.deb"), "not really a package");
        Run run = install(deb.toString());
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly("apt-get install -y " + deb.toRealPath());
        assertThat(run.out()).contains("/etc/cascade/cascade.conf", "journalctl -u cascade-live");
    }

    @Test
    void withoutAPackageItSaysHowToBuildOne() throws Exception {
        Run run = install(dir.resolve("missing.deb").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("./cascade build", "infra/target/cascade-live_VERSION_amd64.deb");
        assertThat(log).doesNotExist();
    }

    @Test
    void withATurnHostCoturnGetsTheExampleConfigAndTheNodeTheSameFreshSecret() throws Exception {
        stub("turnserver", "exit 0");
        stub("systemctl", "echo \"systemctl $*\" >> " + log);
        stub("chown", "exit 0");
        Path root = Files.createDirectories(dir.resolve("root"));
        Path deb = Files.writeString(dir.resolve("cascade-live_1.2.3_amd64.deb"), "not really a package");
        java.util.Map<String, String> env = java.util.Map.of("CASCADE_TURN_HOST", "live.example.org",
                "CASCADE_TURN_MEDIA_IP", "203.0.113.10", "CASCADE_INSTALL_ROOT", root.toString());

        Run run = install(env, deb.toString());

        assertThat(run.exit()).as(run.out()).isZero();
        Path turn = root.resolve("etc/turnserver.conf");
        String turnConf = Files.readString(turn);
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("(?m)^static-auth-secret=([0-9a-f]{64})$").matcher(turnConf);
        assertThat(secret.find()).as(turnConf).isTrue();
        assertThat(turnConf).contains("use-auth-secret", "realm=live.example.org", "allowed-peer-ip=203.0.113.10");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(turn))).isEqualTo("rw-r-----");
        assertThat(root.resolve("etc/cascade/cascade.conf")).content().contains("turn-secret = " + secret.group(1))
                .contains("turn-urls = turn:live.example.org:3478?transport=udp,turns:live.example.org:443?transport=tcp");
        assertThat(Files.readAllLines(log)).contains("systemctl enable --now coturn", "systemctl restart cascade-live");

        // A second run keeps the secret both sides already share.
        assertThat(install(env, deb.toString()).exit()).isZero();
        assertThat(root.resolve("etc/cascade/cascade.conf")).content().containsOnlyOnce("turn-secret");
        assertThat(Files.readString(turn)).isEqualTo(turnConf);
    }
}
