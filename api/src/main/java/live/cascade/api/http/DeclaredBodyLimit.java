package live.cascade.api.http;

import io.javalin.config.JavalinConfig;

/**
 * Refuses a request whose Content-Length already says its body is over the limit, before reading any of it. Javalin
 * counts the bytes as it reads them, so a client declaring a gigabyte would otherwise hold the request open until it
 * had sent past the limit or the idle timeout struck (a 408 instead of the 413 it deserves).
 */
public final class DeclaredBodyLimit {
    private DeclaredBodyLimit() {
    }

    public static void install(JavalinConfig cfg, long maxBodySize) {
        cfg.routes.before(ctx -> {
            long declared = ctx.req().getContentLengthLong();
            if (declared > maxBodySize) {
                // The unread body stays on the connection, which therefore cannot carry another request.
                ctx.header("Connection", "close");
                throw new ApiException(413, "Content Too Large", "The request body (" + declared + " bytes) is larger than the "
                        + maxBodySize + " bytes this server accepts; send a smaller one.");
            }
        });
    }
}
