package live.cascade.api.chat;

import io.javalin.http.Context;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.ClientAddress;
import live.cascade.api.http.OpenPerAddress;
import live.cascade.api.ops.RefusalReason;
import live.cascade.api.ops.Refusals;

/**
 * The cap on chat WebSockets one client address (its /64 for IPv6) holds open on this node. An upgrade past it gets
 * 429 as a problem document before any socket exists; upgrades that race past that check are counted again when they
 * connect and closed with 1013 (try again later).
 */
public final class ChatSocketLimit {
    /** Request attribute carrying the address key from the upgrade check to the socket's connect. */
    static final String ADDRESS_ATTR = "cascade.chat-socket-address";
    static final long RETRY_AFTER_SECONDS = 10;

    private final OpenPerAddress open;
    private final Refusals refusals;

    public ChatSocketLimit(int perAddress, Refusals refusals) {
        this.open = new OpenPerAddress(perAddress);
        this.refusals = refusals;
    }

    void checkUpgrade(Context ctx) {
        String key = ClientAddress.limitKey(ClientAddress.of(ctx));
        if (open.full(key)) {
            refusals.count(RefusalReason.CHAT_SOCKETS_PER_IP);
            throw ApiException.tooManyRequests(detail(), RETRY_AFTER_SECONDS);
        }
        ctx.attribute(ADDRESS_ATTR, key);
    }

    boolean tryOpen(String key) {
        if (open.tryOpen(key)) return true;
        refusals.count(RefusalReason.CHAT_SOCKETS_PER_IP);
        return false;
    }

    void closed(String key) {
        open.closed(key);
    }

    /** Open sockets counted against {@code address} (a client address as {@link ClientAddress#of} gives it). */
    public int openFrom(String address) {
        return open.openFrom(ClientAddress.limitKey(address));
    }

    String detail() {
        return "Your network already has " + open.cap() + " chat connections open to this node; close some tabs, or try again shortly.";
    }
}
