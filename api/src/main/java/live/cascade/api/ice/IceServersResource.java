package live.cascade.api.ice;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/ice-servers}: the web app's ICE servers, fetched before it creates an offer (the WHIP/WHEP
 * {@code Link} headers arrive with the answer, too late for the first offer). The body is what
 * {@code new RTCPeerConnection({iceServers})} takes, plus when the TURN credential expires. Public, like WHEP
 * playback: the credential lives minutes, and the coturn beside the node relays only to the node's own media
 * addresses ({@code infra/coturn/turnserver.conf}), so it is worth nothing elsewhere. Never cached.
 */
public final class IceServersResource {
    private final IceServerDirectory directory;

    public IceServersResource(IceServerDirectory directory) {
        this.directory = directory;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/ice-servers", this::get);
    }

    private void get(Context ctx) {
        IceServerDirectory.Offer offer = directory.offer();
        List<Map<String, Object>> servers = new ArrayList<>();
        if (!offer.stunUrls().isEmpty()) servers.add(Map.of("urls", offer.stunUrls()));
        offer.credential().ifPresent(c -> {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("urls", offer.turnUrls());
            turn.put("username", c.username());
            turn.put("credential", c.password());
            servers.add(turn);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("iceServers", servers);
        body.put("expiresAt", offer.credential().map(c -> c.expiresAt().toString()).orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }
}
