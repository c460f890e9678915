package live.cascade.ingest.rtmp;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server side of the plain RTMP handshake: C0 (version 3) and C1 (1536 bytes) in, S0, S1 and S2 out, C2 in.
 * S1 carries a zero version field, which tells clients that speak the digest ("complex") handshake, FFmpeg among
 * them, that this server does not: publishers then go on without checking a server digest (only players check it).
 * OBS (librtmp) sends a plain handshake anyway. S2 echoes C1, as the specification asks.
 */
public final class Handshake {
    public static final int VERSION = 3;
    public static final int SIZE = 1536;

    public enum Step { AWAIT_C0_C1, AWAIT_C2, DONE }

    private Step step = Step.AWAIT_C0_C1;

    public Step step() { return step; }

    /**
     * Consumes what it can of {@code in}; returns the S0+S1+S2 reply once C0+C1 are complete (null otherwise).
     *
     * @throws RtmpProtocolException when C0 names a version other than 3 (an RTMPE or plain-HTTP client)
     */
    public byte[] consume(ByteBuf in) {
        switch (step) {
            case AWAIT_C0_C1 -> {
                if (in.readableBytes() < 1 + SIZE) return null;
                int version = in.readUnsignedByte();
                if (version != VERSION) throw new RtmpProtocolException("RTMP version " + version + " (only 3, plain RTMP)");
                byte[] c1 = new byte[SIZE];
                in.readBytes(c1);
                step = Step.AWAIT_C2;
                return reply(c1);
            }
            case AWAIT_C2 -> {
                if (in.readableBytes() < SIZE) return null;
                in.skipBytes(SIZE);
                step = Step.DONE;
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    static byte[] reply(byte[] c1) {
        byte[] out = new byte[1 + 2 * SIZE];
        out[0] = VERSION;
        int now = (int) (System.nanoTime() / 1_000_000);
        out[1] = (byte) (now >>> 24);
        out[2] = (byte) (now >>> 16);
        out[3] = (byte) (now >>> 8);
        out[4] = (byte) now;
        // bytes 5..8: zero version, i.e. no digest
        byte[] random = new byte[SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        System.arraycopy(random, 0, out, 9, random.length);
        System.arraycopy(c1, 0, out, 1 + SIZE, SIZE);
        return out;
    }
}
