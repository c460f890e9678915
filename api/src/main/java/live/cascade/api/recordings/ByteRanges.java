package live.cascade.api.recordings;

import io.javalin.http.Context;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves a file with HTTP range support (RFC 9110 §14): one range per request ({@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}) answered 206 with exactly those bytes; no or a malformed Range header gets the whole file (200); a
 * range past the end gets 416. Exactness matters: an HLS byte-range segment is parsed as the body it gets.
 */
final class ByteRanges {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    /** Longer digit strings than this may not fit a long; they are all beyond any file, so they read as "infinite". */
    private static final int MAX_EXACT_DIGITS = 18;

    private ByteRanges() {}

    /** What a Range header asks of a file of a given size. */
    sealed interface Span {
        /** No usable Range header: the whole file, 200. */
        record Whole() implements Span {}

        /** Bytes {@code start..end} inclusive, 206. */
        record Part(long start, long end) implements Span {}

        /** A range that starts at or past the end, 416. */
        record Unsatisfiable() implements Span {}
    }

    /**
     * Reads a Range header against a file of {@code size} bytes. Positions too large for a long are past any end
     * (RFC 9110 §14.1.1 puts no limit on their digits): a first position there is unsatisfiable, a last position or a
     * suffix length there means "to the end" / "all of it".
     */
    static Span parse(String header, long size) {
        Matcher m = header == null ? null : RANGE.matcher(header.strip());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return new Span.Whole();
        long start;
        long end = size - 1;
        if (m.group(1).isEmpty()) {
            start = Math.max(0, size - position(m.group(2)));
        } else {
            start = position(m.group(1));
            if (!m.group(2).isEmpty()) end = Math.min(end, position(m.group(2)));
        }
        if (start >= size || start > end) return new Span.Unsatisfiable();
        return new Span.Part(start, end);
    }

    private static long position(String digits) {
        String significant = digits.replaceFirst("^0+(?=\\d)", "");
        return significant.length() > MAX_EXACT_DIGITS ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    static void serve(Context ctx, Path file, long size, String contentType) throws IOException {
        ctx.header("Accept-Ranges", "bytes").contentType(contentType);
        long start = 0;
        long end = size - 1;
        switch (parse(ctx.header("Range"), size)) {
            case Span.Whole w -> { }
            case Span.Unsatisfiable u -> {
                ctx.status(416).header("Content-Range", "bytes */" + size).result(new byte[0]);
                return;
            }
            case Span.Part p -> {
                start = p.start();
                end = p.end();
                ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = end - start + 1;
        ctx.header("Content-Length", Long.toString(length));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(start);
        ctx.result(new Limited(Channels.newInputStream(ch), length));
    }

    /** At most {@code remaining} bytes of the underlying stream. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = super.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }
    }
}
