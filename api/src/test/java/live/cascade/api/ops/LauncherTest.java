package live.cascade.api.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code ./cascade} launcher, copied into a small fake checkout: which JDK it picks (fake JDKs whose
 * {@code java -version} says what the test wants) and when it decides the jar is stale. PATH holds only the few
 * tools the script uses, so the machine's own java does not decide the outcome.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "cascade").toAbsolutePath().normalize();
    static final Instant BUILT = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path dir;
    Path tree;
    Path jvms;
    Path tools;

    @BeforeEach
    void fakeCheckout() throws IOException {
        tree = Files.createDirectories(dir.resolve("repo"));
        Files.copy(LAUNCHER, tree.resolve("cascade"));
        Files.setPosixFilePermissions(tree.resolve("cascade"), PosixFilePermissions.fromString("rwxr-xr-x"));
        source("pom.xml", -100);
        source("api/pom.xml", -100);
        source("api/src/main/java/Node.java", -100);
        source("api/src/test/java/NodeTest.java", -100);
        source("api/target/cascade-live.jar", 0);
        jvms = Files.createDirectories(dir.resolve("jvm"));
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "env", "find", "sed", "dirname", "readlink", "cat")) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable).findFirst().orElseThrow();
            // A wrapper, not a symbolic link: JUnit's clean-up warns about links that leave the temporary directory.
            Files.writeString(tools.resolve(tool), "#!/bin/sh\nexec " + real + " \"$@\"\n");
            Files.setPosixFilePermissions(tools.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private void source(String path, int secondsAfterBuild) throws IOException {
        Path p = tree.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, path);
        Files.setLastModifiedTime(p, FileTime.from(BUILT.plusSeconds(secondsAfterBuild)));
    }

    /** A fake JDK whose java (and javac, when {@code withJavac}) prints {@code version} like the real one does. */
    private Path jdk(Path parent, String name, String version, boolean withJavac) throws IOException {
        Path bin = Files.createDirectories(parent.resolve(name).resolve("bin"));
        String script = "#!/usr/bin/env bash\necho 'openjdk version \"" + version + "\" 2025-01-01' >&2\n";
        for (String tool : withJavac ? List.of("java", "javac") : List.of("java")) {
            Files.writeString(bin.resolve(tool), script);
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return parent.resolve(name);
    }

    record Run(int exit, String out) {}

    private Run launcher(String command, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(tree.resolve("cascade").toString(), command).redirectErrorStream(true);
        pb.environment().clear();
        Map<String, String> env = new HashMap<>(Map.of("PATH", tools.toString(), "CASCADE_JVM_DIRS", jvms.toString()));
        env.putAll(extraEnv);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void picksTheNewestJdk21OrLaterThatCanCompileAndPassesOverJava17() throws Exception {
        jdk(jvms, "java-17-openjdk-amd64", "17.0.15", true);
        Path jdk21 = jdk(jvms, "temurin-21-jdk-amd64", "21.0.5", true);
        jdk(jvms, "jre-25", "25", false);       // newer, but a runtime only: it cannot build the jar
        jdk(jvms, "java-8", "1.8.0_392", true);
        assertThat(launcher("status", Map.of()).out()).contains("jdk: " + jdk21 + " (Java 21)");
    }

    @Test
    void aJavaHomeOf17IsPassedOverWithAWordAndA21OrLaterOneIsTakenFirst() throws Exception {
        Path old = jdk(dir, "home17", "17.0.2", true);
        Path jdk25 = jdk(jvms, "temurin-25-jdk-amd64", "25", true);
        Run run = launcher("status", Map.of("JAVA_HOME", old.toString()));
        assertThat(run.out()).contains("JAVA_HOME=" + old + " is Java 17").contains("jdk: " + jdk25 + " (Java 25)");

        Path home22 = jdk(dir, "home22", "22.0.1", true);
        assertThat(launcher("status", Map.of("JAVA_HOME", home22.toString())).out()).contains("jdk: " + home22 + " (Java 22)");
    }

    @Test
    void withNoJdk21AnywhereItSaysWhatToInstallAndFails() throws Exception {
        jdk(jvms, "java-17-openjdk-amd64", "17.0.15", true);
        Run run = launcher("build", Map.of());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("no JDK 21 or newer found").contains("openjdk-21-jdk-headless").contains("temurin-21-jdk")
                .contains("JAVA_HOME");
    }

    @Test
    void theJarIsFreshUntilASourceOrPomIsNewerAndTestsNeverMakeItStale() throws Exception {
        jdk(jvms, "temurin-21-jdk-amd64", "21.0.5", true);
        assertThat(launcher("status", Map.of()).out()).contains("jar: up to date");

        source("api/src/test/java/NodeTest.java", 50);     // not in the jar
        source("api/target/classes/Node.class", 50);        // build output
        source("bench/src/main/java/Bench.java", 50);       // bench is not in the jar
        assertThat(launcher("status", Map.of()).out()).contains("jar: up to date");

        source("api/src/main/java/Node.java", 10);
        assertThat(launcher("status", Map.of()).out()).contains("jar: stale (" + tree.resolve("api/src/main/java/Node.java"));

        source("api/src/main/java/Node.java", -10);
        source("api/pom.xml", 10);
        assertThat(launcher("status", Map.of()).out()).contains("jar: stale (" + tree.resolve("api/pom.xml"));

        Files.delete(tree.resolve("api/target/cascade-live.jar"));
        assertThat(launcher("status", Map.of()).out()).contains("jar: stale (" + tree.resolve("api/target/cascade-live.jar") + " is missing)");
    }

    @Test
    void anUnknownCommandIsRefusedWithTheListOfCommands() throws Exception {
        Run run = launcher("deploy", Map.of());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains("unknown command 'deploy'").contains("run, test, build, status");
    }
}
