package live.cascade.ingest.srt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The part of Debian's libsrt 1.5 ({@code libsrt1.5-openssl}) the listener uses, through JNA. Why not FFmpeg's own
 * {@code srt} protocol: it accepts one caller per open and never shows the caller's streamid, and Bytedeco's build
 * does not export libsrt's symbols. Why JNA and not {@code java.lang.foreign}: the build targets release 21, where
 * the foreign-function API is still a preview (final in 22), and JNA is already the project's native binding.
 * Constants are libsrt's ({@code srt.h}, {@code access_control.h}).
 */
interface LibSrt extends Library {
    int SRTO_RCVSYN = 2;
    int SRTO_RCVTIMEO = 14;
    int SRTO_PASSPHRASE = 26;
    int SRTO_RCVLATENCY = 43;
    /** srt_getlasterror's major code for "would block / timed out". */
    int MJ_AGAIN = 6;
    int SRT_REJX_BAD_REQUEST = 1400;
    int SRT_REJX_UNAUTHORIZED = 1401;
    int SRT_REJX_OVERLOAD = 1402;
    int SRT_REJX_FORBIDDEN = 1403;
    int SRT_REJX_BAD_MODE = 1405;
    int SRT_REJX_DOWN = 1503;

    int srt_startup();

    int srt_create_socket();

    int srt_setsockflag(int u, int opt, Pointer value, int len);

    int srt_bind(int u, Pointer addr, int len);

    int srt_listen(int u, int backlog);

    int srt_accept(int u, Pointer addr, IntByReference len);

    int srt_listen_callback(int listener, ListenCallback hook, Pointer opaque);

    int srt_setrejectreason(int u, int reason);

    int srt_recvmsg(int u, Pointer buf, int len);

    int srt_getsockname(int u, Pointer addr, IntByReference len);

    int srt_close(int u);

    int srt_getlasterror(Pointer errnoLoc);

    String srt_getlasterror_str();

    /** {@code srt_listen_callback_fn}: 0 accepts the caller, -1 rejects it (with the reason set on {@code ns}). */
    interface ListenCallback extends Callback {
        int invoke(Pointer opaque, int ns, int hsVersion, Pointer peer, String streamId);
    }

    /** Loaded on first use: a node with SRT off never needs the library. */
    final class Holder {
        static final LibSrt SRT = load();

        private static LibSrt load() {
            LibSrt lib = Native.load("srt", LibSrt.class);
            if (lib.srt_startup() < 0) throw new IllegalStateException("srt_startup failed: " + lib.srt_getlasterror_str());
            return lib;
        }
    }

    /** The library, or an {@link UnsatisfiedLinkError} naming the package to install. */
    static LibSrt get() {
        try {
            return Holder.SRT;
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new UnsatisfiedLinkError("libsrt is not installed (Debian: apt-get install libsrt1.5-openssl): " + e.getMessage());
        }
    }

    static void setInt(LibSrt srt, int socket, int option, int value) {
        Memory m = new Memory(4);
        m.setInt(0, value);
        if (srt.srt_setsockflag(socket, option, m, 4) < 0) {
            throw new IllegalStateException("srt_setsockflag(" + option + "): " + srt.srt_getlasterror_str());
        }
    }

    /** A {@code struct sockaddr_in} or {@code sockaddr_in6} for {@code address} (Linux layout). */
    static Memory sockaddr(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        Memory m;
        if (ip instanceof Inet4Address) {
            m = new Memory(16);
            m.clear();
            m.setShort(0, (short) 2); // AF_INET, host order
            m.write(4, ip.getAddress(), 0, 4);
        } else if (ip instanceof Inet6Address) {
            m = new Memory(28);
            m.clear();
            m.setShort(0, (short) 10); // AF_INET6
            m.write(8, ip.getAddress(), 0, 16);
        } else {
            throw new IllegalArgumentException("cannot bind SRT to " + address);
        }
        m.setByte(2, (byte) (port >>> 8));
        m.setByte(3, (byte) port);
        return m;
    }

    /** The port of a {@code sockaddr_in}/{@code sockaddr_in6} (network order at offset 2 in both). */
    static int port(Pointer sockaddr) {
        return ((sockaddr.getByte(2) & 0xFF) << 8) | (sockaddr.getByte(3) & 0xFF);
    }
}
