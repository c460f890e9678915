package live.cascade.sfu.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDatagramChannel;

import java.util.Optional;

/**
 * When the kernel received the datagram a worker has just read: {@code ioctl(SIOCGSTAMPNS)} on the worker's socket
 * returns the receive timestamp of the last datagram read from it (the first call switches the socket's timestamps
 * on). Netty's epoll channel reads one datagram per {@code recvmsg} and hands it on before reading the next, so asked
 * in {@code channelRead} it is that datagram's.
 *
 * <p>Why: the arrival times in transport-cc feedback are what the publisher's delay-based estimator reads. Stamped in
 * user space they include however long the datagram waited in the socket for a worker that was busy or descheduled
 * (a cold JIT, the HLS ladder, any other load), which the estimator takes for queueing on the path (issue 16). The
 * kernel's stamp is taken when the datagram entered the host's receive path; the wait after it is ours, not the path's.
 *
 * <p>The kernel stamps in CLOCK_REALTIME; the workers' clock is {@link System#nanoTime()}. Each conversion measures how
 * long ago the kernel stamp was on the realtime clock ({@code clock_gettime}) and subtracts that from the monotonic
 * now, so no offset between the clocks is assumed. A lateness outside [0, 10 s] (a realtime step) falls back to now.
 * Two direct-mapped native calls on preallocated memory per datagram; nothing allocated.
 *
 * <p>The kernel turns receive stamping on for the whole host asynchronously (a static key flipped from a work queue
 * when the first socket asks, and off again some time after the last one closes), so datagrams that arrive in the
 * moment after a node's first socket enables it carry no stamp; for those the kernel answers with the time of the
 * call, which is the read time again. Only a node's first packets are affected.
 */
final class KernelReceiveTimes {
    private static final long SIOCGSTAMPNS = 0x8907;
    private static final int CLOCK_REALTIME = 0;
    private static final long MAX_LATENESS_NANOS = 10_000_000_000L;
    private static final boolean AVAILABLE = register();

    private final int fd;
    private final Memory stamp = new Memory(16);
    private final Memory realtime = new Memory(16);
    private long lastLatenessNanos;

    private KernelReceiveTimes(int fd) { this.fd = fd; }

    private static native int ioctl(int fd, long request, Pointer arg);

    private static native int clock_gettime(int clock, Pointer timespec);

    private static boolean register() {
        try {
            Native.register(KernelReceiveTimes.class, NativeLibrary.getInstance("c"));
            return true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Kernel receive times of {@code channel}'s datagrams, or why there are none (not the epoll transport, not Linux);
     * then workers stamp datagrams when they read them.
     */
    static Result enable(Channel channel) {
        if (!AVAILABLE) return new Result(Optional.empty(), "libc is not reachable through JNA");
        if (!(channel instanceof EpollDatagramChannel epoll)) return new Result(Optional.empty(), "not the epoll transport");
        KernelReceiveTimes k = new KernelReceiveTimes(epoll.fd().intValue());
        // The first call enables the socket's timestamps; with nothing received yet it fails with ENOENT.
        ioctl(k.fd, SIOCGSTAMPNS, k.stamp);
        return new Result(Optional.of(k), "kernel receive timestamps (SIOCGSTAMPNS)");
    }

    record Result(Optional<KernelReceiveTimes> times, String description) {}

    /**
     * The arrival of the datagram just read, on {@link System#nanoTime()}'s scale, given that scale's now: now minus
     * how long ago the kernel received it. {@code nowNanos} itself when the kernel has no stamp for it.
     */
    long arrivalNanos(long nowNanos) {
        lastLatenessNanos = 0;
        if (ioctl(fd, SIOCGSTAMPNS, stamp) != 0 || clock_gettime(CLOCK_REALTIME, realtime) != 0) return nowNanos;
        long kernel = stamp.getLong(0) * 1_000_000_000L + stamp.getLong(8);
        long real = realtime.getLong(0) * 1_000_000_000L + realtime.getLong(8);
        long lateness = real - kernel;
        if (lateness < 0 || lateness > MAX_LATENESS_NANOS) return nowNanos;
        lastLatenessNanos = lateness;
        return nowNanos - lateness;
    }

    /** How long the last datagram waited between the kernel's stamp and {@link #arrivalNanos}. */
    long lastLatenessNanos() { return lastLatenessNanos; }
}
