package live.cascade.sfu.rtp;

import java.util.SplittableRandom;

/** Random and mutated inputs for never-throws tests. */
public final class Fuzz {
    private Fuzz() {}

    /** Runs {@code body} for each seed, rethrowing any failure with the seed that reproduces it. */
    public static void withSeeds(long[] fixedSeeds, SeededBody body) {
        long[] seeds = java.util.Arrays.copyOf(fixedSeeds, fixedSeeds.length + 1);
        seeds[fixedSeeds.length] = System.nanoTime();
        for (long seed : seeds) {
            try {
                body.run(new SplittableRandom(seed));
            } catch (Throwable t) {
                throw new AssertionError("failed with seed " + seed + "L (rerun with this seed): " + t, t);
            }
        }
    }

    public interface SeededBody {
        void run(SplittableRandom random);
    }

    public static byte[] randomBytes(SplittableRandom r, int maxLen) {
        byte[] b = new byte[r.nextInt(maxLen + 1)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    /**
     * Embeds {@code input} in a larger buffer at a random offset, surrounded by random bytes, so parsers are tested
     * with non-zero offsets and with readable bytes beyond the given length. Returns the buffer and writes the input's
     * offset in it to {@code offsetOut[0]}.
     */
    public static byte[] embed(SplittableRandom r, byte[] input, int[] offsetOut) {
        int off = r.nextInt(4);
        int tail = r.nextInt(4);
        byte[] b = new byte[off + input.length + tail];
        for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
        System.arraycopy(input, 0, b, off, input.length);
        offsetOut[0] = off;
        return b;
    }

    /** A mutation of {@code valid}: bit flips, byte sets, truncation, extension, or a splice of random bytes. */
    public static byte[] mutate(SplittableRandom r, byte[] valid) {
        byte[] b = valid.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            switch (r.nextInt(5)) {
                case 0 -> { if (b.length > 0) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8)); }
                case 1 -> { if (b.length > 0) b[r.nextInt(b.length)] = (byte) r.nextInt(256); }
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 3 -> b = java.util.Arrays.copyOf(b, b.length + r.nextInt(8));
                default -> {
                    // interesting values at interesting places: lengths and counts
                    if (b.length > 3) b[r.nextInt(Math.min(b.length, 24))] = (byte) (r.nextBoolean() ? 0xFF : 0x00);
                }
            }
        }
        return b;
    }
}
