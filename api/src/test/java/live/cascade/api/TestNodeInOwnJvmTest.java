package live.cascade.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks' node in a JVM of its own ({@code bench/run … --node-jvm=own}): it is a real node another process
 * runs, reached over HTTP, with the JVM options it was given, and closing it ends that process.
 */
@Timeout(120)
class TestNodeInOwnJvmTest {
    @Test
    void aNodeInItsOwnJvmServesTheApiWithTheOptionsItWasGivenAndStopsWhenClosed() throws Exception {
        TestNode node = TestNode.inOwnJvm(List.of("-Dcascade.ownJvmMarker=1", "-Xmx256m"));
        long pid = -1;
        try {
            assertThat(node.server).as("not in this JVM").isNull();
            assertThat(node.get("/readyz", null).status()).isEqualTo(200);
            TestNode.Account owner = node.signup("own_jvm_owner");
            assertThat(node.get("/api/auth/session", owner.token()).status()).isEqualTo(200);
            // The node's process is another one, a child of this, started with the options asked for.
            pid = node.pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            long childPid = pid;
            assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(childPid);
            List<String> command = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\u0000"));
            assertThat(command).contains("-Dcascade.ownJvmMarker=1", "-Xmx256m", ServerMain.class.getName());
        } finally {
            node.close();
        }
        long exited = pid;
        assertThat(ProcessHandle.of(exited).map(ProcessHandle::isAlive).orElse(false)).as("the node's JVM after close").isFalse();
        assertThat(node.output()).as("its log").isNotBlank();
    }
}
