package live.cascade.sfu.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Linux nice value of the calling thread. On Linux it belongs to each thread, and a new thread starts with its
 * creator's. Lowering a thread's priority (a higher value) needs no privilege; raising it (below 0) needs
 * {@code CAP_SYS_NICE} or an {@code RLIMIT_NICE} that allows it (systemd's {@code LimitNICE=}).
 */
public final class ThreadNice {
    private static final int PRIO_PROCESS = 0;
    private static final int SCHED_OTHER = 0;
    /** With it, threads this one starts begin at nice 0 rather than inheriting a raised priority (sched(7)). */
    private static final int SCHED_RESET_ON_FORK = 0x40000000;

    private ThreadNice() {}

    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);

        int sched_setscheduler(int pid, int policy, int[] param);
    }

    /** Loaded on first use. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * Sets the calling thread's nice value to {@code nice} (-20 … 19). Returns why not, when the platform has no
     * per-thread nice value or the kernel refused (errno 13: not allowed to raise it); the thread then keeps its own.
     */
    public static Optional<String> setCurrentThread(int nice) {
        if (nice < -20 || nice > 19) throw new IllegalArgumentException("nice " + nice);
        int tid;
        try {
            tid = currentThreadId();
        } catch (IOException | RuntimeException e) {
            return Optional.of("no per-thread priority on this platform (" + e.getMessage() + ")");
        }
        try {
            if (Holder.LIBC.setpriority(PRIO_PROCESS, tid, nice) != 0) {
                int errno = Native.getLastError();
                return Optional.of("setpriority refused, errno " + errno + (errno == 13 ? " (not permitted)" : ""));
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.of("libc not reachable: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Raises the calling thread's priority to {@code nice} (below 0) for this thread alone: the threads it starts
     * later begin at nice 0 (the kernel's reset-on-fork flag), so a pool a worker happens to start first (a metrics
     * registrar, a library's timer) does not run above everything else. Returns why not, as {@link #setCurrentThread}.
     */
    public static Optional<String> raiseCurrentThread(int nice) {
        if (nice >= 0) throw new IllegalArgumentException("raising means a nice value below 0, not " + nice);
        // The flag first (any thread may set it): should the raise then be refused, nothing needs undoing.
        try {
            if (Holder.LIBC.sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, new int[] {0}) != 0) {
                return Optional.of("sched_setscheduler(SCHED_RESET_ON_FORK) refused, errno " + Native.getLastError());
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.of("libc not reachable: " + e.getMessage());
        }
        return setCurrentThread(nice);
    }

    /** The kernel's id of the calling thread: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. */
    public static int currentThreadId() throws IOException {
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(link.getFileName().toString());
    }

    /** The nice value of thread {@code tid} of this process, from {@code /proc} (field 19 of its stat line). */
    public static int niceOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(rest[19 - 3]);
    }
}
