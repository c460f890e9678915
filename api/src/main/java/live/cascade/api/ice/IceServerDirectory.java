package live.cascade.api.ice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import live.cascade.whipwhep.IceServer;

/**
 * The ICE servers a client is offered: the configured STUN URLs as they are, and each TURN URL with one credential
 * minted for this client (all TURN URLs of one answer share it).
 */
public final class IceServerDirectory {
    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final Optional<TurnCredentials> turn;

    public IceServerDirectory(List<String> stunUrls, List<String> turnUrls, Optional<TurnCredentials> turn) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turnUrls = turn.isPresent() ? List.copyOf(turnUrls) : List.of();
        this.turn = turn;
    }

    /** What one client gets now; see {@link Offer}. */
    public Offer offer() {
        Optional<TurnCredential> credential = turnUrls.isEmpty() ? Optional.empty() : turn.map(TurnCredentials::mint);
        return new Offer(stunUrls, credential.isPresent() ? turnUrls : List.of(), credential);
    }

    /** The same as WHIP/WHEP Link header values' records. */
    public List<IceServer> linkServers() {
        Offer offer = offer();
        List<IceServer> out = new ArrayList<>();
        for (String u : offer.stunUrls()) out.add(new IceServer(u, null, null));
        offer.credential().ifPresent(c -> {
            for (String u : offer.turnUrls()) out.add(new IceServer(u, c.username(), c.password()));
        });
        return List.copyOf(out);
    }

    /** STUN URLs, TURN URLs and, when there are TURN URLs, their minted credential. */
    public record Offer(List<String> stunUrls, List<String> turnUrls, Optional<TurnCredential> credential) {
    }
}
