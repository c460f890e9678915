package live.cascade.api.profiles;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import live.cascade.api.auth.Authenticator;
import live.cascade.api.auth.Principal;
import live.cascade.api.http.ApiException;
import live.cascade.api.http.Json;
import live.cascade.api.http.Validator;
import live.cascade.api.users.UserResource;
import live.cascade.db.Database;
import live.cascade.db.DonationAddress;
import live.cascade.db.Profile;
import live.cascade.db.ReferenceNotFoundException;
import live.cascade.db.User;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Profiles: bio, avatar and banner, a featured channel, up to eight top friends, and donation addresses. Donations
 * are links only: the platform never holds funds, it just shows where the streamer receives them.
 */
public final class ProfileResource {
    private static final int MAX_ADDRESSES = 10;

    private final Database db;
    private final Authenticator auth;

    public ProfileResource(Database db, Authenticator auth) {
        this.db = db;
        this.auth = auth;
    }

    record AddressJson(String currency, String address, String note) {
    }

    record ProfileJson(long userId, String username, String bio, String avatarUrl, String bannerUrl, Long featuredChannelId,
                       List<Long> topFriends, List<AddressJson> donationAddresses) {
    }

    record PutRequest(String bio, String avatarUrl, String bannerUrl, Long featuredChannelId, List<Long> topFriends,
                      List<AddressJson> donationAddresses) {
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/profiles/{id}", this::get);
        cfg.routes.put("/api/profiles/{id}", this::put);
    }

    private void get(Context ctx) {
        User u = user(ctx);
        ctx.json(json(u, db.profiles().get(u.id())));
    }

    private void put(Context ctx) {
        Principal me = auth.require(ctx);
        User u = user(ctx);
        if (me.id() != u.id() && !me.isAdmin()) throw ApiException.forbidden("You can only edit your own profile.");
        PutRequest req = Json.body(ctx, PutRequest.class);
        Validator v = new Validator();
        String bio = req.bio() == null ? null : req.bio().strip();
        v.check(bio == null || bio.length() <= 2000, "bio", "must be at most 2000 characters");
        checkUrl(v, "avatarUrl", req.avatarUrl());
        checkUrl(v, "bannerUrl", req.bannerUrl());
        if (req.featuredChannelId() != null) {
            v.check(db.channels().findById(req.featuredChannelId()).isPresent(), "featuredChannelId", "names no channel");
        }
        List<Long> friends = req.topFriends() == null ? List.of() : req.topFriends();
        if (v.check(friends.size() <= Profile.MAX_TOP_FRIENDS, "topFriends", "at most " + Profile.MAX_TOP_FRIENDS + " top friends, got " + friends.size())) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < friends.size(); i++) {
                Long f = friends.get(i);
                String field = "topFriends[" + i + "]";
                if (f == null) v.error(field, "must be a user id");
                else if (f == u.id()) v.error(field, "cannot be yourself");
                else if (!seen.add(f)) v.error(field, "is listed twice");
                else if (db.users().findById(f).isEmpty()) v.error(field, "names no user (id " + f + ")");
            }
        }
        List<DonationAddress> addresses = new ArrayList<>();
        List<AddressJson> raw = req.donationAddresses() == null ? List.of() : req.donationAddresses();
        v.check(raw.size() <= MAX_ADDRESSES, "donationAddresses", "at most " + MAX_ADDRESSES + " addresses");
        for (int i = 0; i < raw.size(); i++) {
            AddressJson a = raw.get(i);
            String field = "donationAddresses[" + i + "]";
            if (a == null) {
                v.error(field, "must be an object with currency and address");
                continue;
            }
            String currency = a.currency() == null ? "" : a.currency().strip().toUpperCase(Locale.ROOT);
            String address = a.address() == null ? "" : a.address().strip();
            String note = a.note() == null || a.note().isBlank() ? null : a.note().strip();
            boolean ok = v.check(currency.matches("[A-Z0-9]{2,10}"), field + ".currency", "must be a currency symbol of 2-10 letters or digits, e.g. BTC");
            ok &= v.check(!address.isEmpty() && address.length() <= 256 && address.chars().noneMatch(Character::isWhitespace),
                    field + ".address", "must be 1-256 characters without spaces");
            ok &= v.check(note == null || note.length() <= 256, field + ".note", "must be at most 256 characters");
            if (ok) {
                DonationAddressCheck.problem(currency, address).ifPresent(p -> v.error(field + ".address", p));
                addresses.add(new DonationAddress(currency, address, note));
            }
        }
        v.throwIfInvalid();
        Profile p = new Profile(u.id(), bio == null || bio.isEmpty() ? null : bio, blankToNull(req.avatarUrl()), blankToNull(req.bannerUrl()),
                req.featuredChannelId(), friends, addresses);
        try {
            db.profiles().put(p);
        } catch (ReferenceNotFoundException e) {
            // A friend or channel deleted between the check and the write.
            throw ApiException.invalidField(e.field(), "names something that no longer exists");
        }
        ctx.json(json(u, db.profiles().get(u.id())));
    }

    private User user(Context ctx) {
        long id = UserResource.idParam(ctx, "id");
        return db.users().findById(id).filter(u -> !u.suspended())
                .orElseThrow(() -> ApiException.notFound("No user with id " + id + "."));
    }

    private static ProfileJson json(User u, Profile p) {
        return new ProfileJson(u.id(), u.username(), p.bio(), p.avatarUrl(), p.bannerUrl(), p.featuredChannelId(), p.topFriendIds(),
                p.donationAddresses().stream().map(a -> new AddressJson(a.currency(), a.address(), a.note())).toList());
    }

    private static void checkUrl(Validator v, String field, String url) {
        if (url == null || url.isBlank()) return;
        boolean ok;
        try {
            URI u = URI.create(url.strip());
            ok = ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null && url.length() <= 2048;
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        v.check(ok, field, "must be an http(s) URL of at most 2048 characters");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
