package live.cascade.api.http;

import io.javalin.http.Context;

/** The {@code limit} and cursor query parameters shared by every list endpoint. */
public final class Paging {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private Paging() {
    }

    public static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isEmpty()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    public static long afterId(Context ctx) {
        String raw = ctx.queryParam("cursor");
        if (raw == null || raw.isEmpty()) return 0;
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.invalidField("cursor", "must be the \"next\" value of the previous page");
        }
    }
}
