package live.cascade.hls;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Lowers the CPU priority (the Linux nice value) of the calling thread. On Linux the nice value belongs to each thread
 * and a new thread starts with its creator's, so a tap that lowers its own thread before opening FFmpeg lowers every
 * decoder and x264 thread FFmpeg starts for it too.
 *
 * <p>Why: the ladder's encoders can keep every core busy, and a media worker that has to wait for a core stamps the
 * publisher's packets late. Those stamps are the arrival times transport-cc feedback reports, so the publisher's
 * delay-based estimator reads the wait as queueing on the path and holds its bitrate down (issue 16). At a higher nice
 * value than the workers the ladder only gets the cores the packet path leaves; it falls behind (its queue drops and
 * counts) rather than the live stream.
 */
final class BackgroundPriority {
    /** Nice value of tap threads: under contention a nice-0 worker gets about ten times their share of a core. */
    static final int TAP_NICE = 10;

    private static final int PRIO_PROCESS = 0;

    private BackgroundPriority() {}

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    /** Loaded on first use: a node whose ladder is off never loads it. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * Sets the calling thread's nice value to {@code nice} (raising it needs no privilege). Returns why not, when the
     * platform has no per-thread nice value or the call failed; the thread then keeps its priority.
     */
    static Optional<String> lowerCurrentThread(int nice) {
        if (nice < 0 || nice > 19) throw new IllegalArgumentException("nice " + nice);
        int tid;
        try {
            tid = currentThreadId();
        } catch (IOException | RuntimeException e) {
            return Optional.of("no per-thread priority on this platform (" + e.getMessage() + ")");
        }
        try {
            if (Holder.LIBC.setpriority(PRIO_PROCESS, tid, nice) != 0) {
                return Optional.of("setpriority failed, errno " + Native.getLastError());
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.of("libc not reachable: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The kernel's id of the calling thread: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. */
    static int currentThreadId() throws IOException {
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(link.getFileName().toString());
    }

    /** The nice value of thread {@code tid} of this process, from {@code /proc} (field 19 of its stat line). */
    static int niceOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(rest[19 - 3]);
    }
}
