package live.cascade.db;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The sort key of the last channel on a page, as an opaque cursor: base64url (no padding) of
 * {@code "c1:<live 0|1>:<viewerCount>:<id>"}. The version prefix lets the order change later without
 * misreading old cursors (they are refused instead).
 */
record ChannelCursor(int live, int viewerCount, long id) {

    private static final String PREFIX = "c1:";

    static ChannelCursor after(Channel last) {
        return new ChannelCursor(last.live() ? 1 : 0, last.viewerCount(), last.id());
    }

    String encode() {
        String raw = PREFIX + live + ":" + viewerCount + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static ChannelCursor decode(String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("cursor is not base64url");
        }
        if (!raw.startsWith(PREFIX)) {
            throw new InvalidCursorException("unknown cursor version");
        }
        String[] parts = raw.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            throw new InvalidCursorException("malformed cursor");
        }
        try {
            int live = Integer.parseInt(parts[0]);
            int viewers = Integer.parseInt(parts[1]);
            long id = Long.parseLong(parts[2]);
            if ((live != 0 && live != 1) || viewers < 0 || id < 0) {
                throw new InvalidCursorException("malformed cursor");
            }
            return new ChannelCursor(live, viewers, id);
        } catch (NumberFormatException e) {
            throw new InvalidCursorException("malformed cursor");
        }
    }
}
