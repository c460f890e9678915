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

    private ByteRanges() {}

    static void serve(Context ctx, Path file, long size, String contentType) throws IOException {
        ctx.header("Accept-Ranges", "bytes").contentType(contentType);
        long start = 0;
        long end = size - 1;
        String header = ctx.header("Range");
        Matcher m = header == null ? null : RANGE.matcher(header.strip());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, size - suffix);
            } else {
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) end = Math.min(end, Long.parseLong(m.group(2)));
            }
            if (start >= size || start > end) {
                ctx.status(416).header("Content-Range", "bytes */" + size).result(new byte[0]);
                return;
            }
            ctx.status(206).header("Content-Range", "bytes " + start + "-" + end + "/" + size);
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
