package live.cascade.api.ops;

import live.cascade.api.SharedServices;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./cascade run} on this machine as a newcomer runs it: no JAVA_HOME, and PATH's java is Debian's 17 (the CI
 * machine's default). The launcher finds a JDK 21+ under /usr/lib/jvm by itself and starts the node from the jar this
 * build just packaged (fresh, so it builds nothing: {@link LauncherTest} covers the staleness rules).
 */
@Tag("integration")
class LauncherRunTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path JAVA17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");

    @TempDir
    Path data;

    private Map<String, String> newcomersEnvironment() {
        Map<String, String> env = new HashMap<>();
        // Debian 12's own java first on PATH when it is installed; with none, the launcher must still find a JDK.
        env.put("PATH", (Files.isExecutable(JAVA17.resolve("java")) ? JAVA17 + ":" : "") + "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", System.getProperty("user.home"));
        return env;
    }

    @Test
    void runsTheNodeWithAJdk21WhenPathsJavaIs17() throws Exception {
        Map<String, String> env = newcomersEnvironment();
        if (!Files.isExecutable(JAVA17.resolve("java"))) {
            System.err.println("*** no Java 17 at " + JAVA17 + ": the launcher runs with no java on PATH before /usr/bin");
        }
        ProcessBuilder status = new ProcessBuilder(REPO.resolve("cascade").toString(), "status").redirectErrorStream(true);
        status.environment().clear();
        status.environment().putAll(env);
        Process s = status.start();
        String out = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(s.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("the jar must be fresh after `mvn package`; a stale one would make this test build it")
                .contains("jar: up to date").containsPattern("jdk: /\\S+ \\(Java (2[1-9]|[3-9][0-9])\\)");

        List<String> run = List.of(REPO.resolve("cascade").toString(), "run", "--http-host", "127.0.0.1", "--http-port", "0",
                "--media-host", "127.0.0.1", "--media-port", Integer.toString(SharedServices.freeUdpPort()),
                "--data-dir", data.toString(), "--hls-ladder", "off");
        try (ScriptedNode node = ScriptedNode.start(run, env)) {
            assertThat(node.get("/livez").statusCode()).isEqualTo(200);
            var ready = node.get("/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\"");
            // The launcher exec'ed a JDK 21+'s java (SIGTERM reaches the JVM directly), not PATH's 17.
            assertThat(node.command()).endsWith("/bin/java").doesNotContain("java-17");
            assertThat(Path.of(node.command()).toRealPath().toString()).doesNotContain("17");
        }
    }
}
