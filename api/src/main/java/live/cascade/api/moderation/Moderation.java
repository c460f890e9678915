package live.cascade.api.moderation;

import live.cascade.api.auth.Principal;
import live.cascade.api.cluster.NodeCommand;
import live.cascade.api.cluster.NodeCommands;
import live.cascade.api.http.Validator;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Ban;
import live.cascade.db.Channel;
import live.cascade.db.ChatMessage;
import live.cascade.db.ChatSettings;
import live.cascade.db.ChatSettingsRepository;
import live.cascade.db.Database;
import live.cascade.db.Moderator;
import live.cascade.db.Report;
import live.cascade.db.User;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * The rules of moderating a channel's chat (docs/chat.md): what settings are valid, who may be banned or reported,
 * how often a viewer may report, when a report can be resolved. It is called once the caller is known to hold the
 * right to act on the channel, knows no HTTP, and answers with an {@link Outcome}. Every change is logged by the
 * repository in the transaction that makes it, and announced to the chat through {@link ModerationEvents}.
 */
final class Moderation {
    /** The longest timeout; anything longer is a ban. */
    static final long MAX_TIMEOUT_SECONDS = 365L * 24 * 3600;
    static final int MAX_REASON = 500;
    static final int REPORTS_PER_WINDOW = 10;
    static final Duration REPORT_WINDOW = Duration.ofMinutes(10);

    private final Database db;
    private final ModerationEvents events;
    private final RateLimiter limiter;
    private final NodeCommands commands;
    private final Clock clock;

    /** A change of the chat settings; a null field keeps what is set. */
    record SettingsChange(Integer slowModeSeconds, Boolean followersOnly, Boolean blockLinks, Integer maxMessageLength,
                          List<String> blockedWords, List<String> blockedPatterns) {
    }

    /** A ban, or a timeout when {@code durationSeconds} is given. */
    record BanOrder(Long userId, Long durationSeconds, String reason) {
    }

    /** A viewer's report of a message or a user. */
    record Complaint(Long messageId, Long userId, String reason) {
    }

    /** {@code added} is false when the user already was a moderator. */
    record Appointment(Moderator moderator, boolean added) {
    }

    Moderation(Database db, ModerationEvents events, RateLimiter limiter, NodeCommands commands, Clock clock) {
        this.db = db;
        this.events = events;
        this.limiter = limiter;
        this.commands = commands;
        this.clock = clock;
    }

    // ---- settings

    Outcome<ChatSettings> changeSettings(Channel c, Principal me, SettingsChange req) {
        ChatSettings cur = db.chatSettings().get(c.id());
        Validator v = new Validator();
        int slow = req.slowModeSeconds() == null ? cur.slowModeSeconds() : req.slowModeSeconds();
        v.check(slow >= 0 && slow <= ChatSettings.MAX_SLOW_MODE_SECONDS, "slowModeSeconds",
                "must be 0 (off) to " + ChatSettings.MAX_SLOW_MODE_SECONDS);
        int max = req.maxMessageLength() == null ? cur.maxMessageLength() : req.maxMessageLength();
        v.check(max >= 1 && max <= ChatSettings.MAX_MESSAGE_LENGTH, "maxMessageLength", "must be 1 to " + ChatSettings.MAX_MESSAGE_LENGTH);
        List<String> words = req.blockedWords() == null ? cur.blockedWords()
                : terms(v, "blockedWords", req.blockedWords(), ChatSettingsRepository.MAX_WORDS, t -> {
                    if (TextNormalizer.skeleton(t).isEmpty()) return "has no letters or digits to match";
                    return null;
                });
        List<String> patterns = req.blockedPatterns() == null ? cur.blockedPatterns()
                : terms(v, "blockedPatterns", req.blockedPatterns(), ChatSettingsRepository.MAX_PATTERNS, t -> {
                    try {
                        MessageFilter.compilePattern(t);
                        return null;
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                });
        if (v.hasErrors()) return new Outcome.Invalid<>(v.errors());
        ChatSettings next = new ChatSettings(slow, req.followersOnly() == null ? cur.followersOnly() : req.followersOnly(),
                req.blockLinks() == null ? cur.blockLinks() : req.blockLinks(), max, words, patterns);
        ChatSettings saved = db.chatSettings().put(c.id(), next, me.id());
        events.settingsChanged(c.id(), saved);
        return new Outcome.Done<>(saved);
    }

    /** Trimmed, without exact duplicates; each term 1-200 characters and accepted by {@code check}. */
    private static List<String> terms(Validator v, String field, List<String> given, int maxCount, Function<String, String> check) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i) == null ? "" : given.get(i).strip();
            if (t.isEmpty() || t.length() > ChatSettings.MAX_TERM_LENGTH) {
                v.error(field + "[" + i + "]", "must be 1 to " + ChatSettings.MAX_TERM_LENGTH + " characters");
                continue;
            }
            String problem = check.apply(t);
            if (problem != null) v.error(field + "[" + i + "]", problem);
            else out.add(t);
        }
        v.check(out.size() <= maxCount, field, "at most " + maxCount + " entries");
        return new ArrayList<>(out);
    }

    // ---- messages

    Outcome<ChatMessage> deleteMessage(Channel c, Principal me, long messageId, String rawReason) {
        if (tooLong(rawReason)) return tooLongReason("reason");
        var deleted = db.chatMessages().delete(c.id(), messageId, me.id(), reason(rawReason));
        if (deleted.isEmpty()) return new Outcome.NotFound<>("Channel '" + c.slug() + "' has no message " + messageId + " (or it is already deleted).");
        events.messageDeleted(c.id(), messageId);
        return new Outcome.Done<>(deleted.get());
    }

    // ---- moderators (the caller is the owner or an administrator)

    Outcome<Appointment> appoint(Channel c, Principal me, long userId) {
        var target = db.users().findById(userId);
        if (target.isEmpty()) return new Outcome.NotFound<>("No user " + userId + ".");
        if (userId == c.ownerId()) return new Outcome.Pointless<>("The owner already moderates their own channel.");
        boolean added = db.moderators().add(c.id(), userId, me.id());
        return db.moderators().list(c.id()).stream().filter(m -> m.userId() == userId).findFirst()
                .<Outcome<Appointment>>map(m -> new Outcome.Done<>(new Appointment(m, added)))
                .orElseGet(() -> new Outcome.NotFound<>("User " + userId + " was removed meanwhile."));
    }

    Outcome<Long> dismiss(Channel c, Principal me, long userId) {
        if (!db.moderators().remove(c.id(), userId, me.id())) {
            return new Outcome.NotFound<>("User " + userId + " is not a moderator of channel '" + c.slug() + "'.");
        }
        // Every request re-reads the moderator list; the command tells the sockets the user has open, on every node.
        commands.send(new NodeCommand.RevokeModerator(c.id(), userId));
        return new Outcome.Done<>(userId);
    }

    // ---- bans and timeouts

    List<Ban> activeBans(Channel c) {
        return db.bans().listActive(c.id(), clock.instant());
    }

    Outcome<Ban> ban(Channel c, Principal me, BanOrder req) {
        Validator v = new Validator();
        v.check(req.userId() != null, "userId", "is required");
        if (req.durationSeconds() != null) {
            v.check(req.durationSeconds() >= 1 && req.durationSeconds() <= MAX_TIMEOUT_SECONDS, "durationSeconds",
                    "must be 1 to " + MAX_TIMEOUT_SECONDS + " (leave it out for a permanent ban)");
        }
        v.check(req.reason() == null || req.reason().length() <= MAX_REASON, "reason", "at most " + MAX_REASON + " characters");
        if (v.hasErrors()) return new Outcome.Invalid<>(v.errors());
        var found = db.users().findById(req.userId());
        if (found.isEmpty()) return new Outcome.Invalid<>("userId", "names no user");
        User target = found.get();
        if (target.id() == me.id()) return new Outcome.Invalid<>("userId", "is you; you can't ban or time out yourself");
        if (target.id() == c.ownerId()) return new Outcome.Forbidden<>("The owner of a channel can't be banned from its chat.");
        if (target.isAdmin()) return new Outcome.Forbidden<>("Administrators can't be banned from a chat.");
        if (!ChannelRights.isOwnerOrAdmin(c, me) && db.moderators().isModerator(c.id(), target.id())) {
            return new Outcome.Forbidden<>("Only the owner or an administrator can ban or time out a moderator.");
        }
        String reason = req.reason() == null || req.reason().isBlank() ? null : req.reason().strip();
        Ban ban = db.bans().ban(c.id(), target.id(), me.id(), reason,
                req.durationSeconds() == null ? null : Duration.ofSeconds(req.durationSeconds()));
        events.userBanned(ban);
        return new Outcome.Done<>(ban);
    }

    Outcome<Long> unban(Channel c, Principal me, long userId) {
        if (!db.bans().lift(c.id(), userId, me.id())) {
            return new Outcome.NotFound<>("User " + userId + " is not banned or timed out in channel '" + c.slug() + "'.");
        }
        events.userUnbanned(c.id(), userId, db.users().findById(userId).map(User::username).orElse(null));
        return new Outcome.Done<>(userId);
    }

    // ---- reports

    /** Anyone signed in may report, a bounded number of times per window. */
    Outcome<Report> report(Channel c, Principal me, Complaint req) {
        Validator v = new Validator();
        v.check(req.messageId() != null || req.userId() != null, "messageId", "give the message or the user (userId) you report");
        if (v.check(req.reason() != null && !req.reason().isBlank(), "reason", "is required: say what is wrong"))
            v.check(req.reason().length() <= MAX_REASON, "reason", "at most " + MAX_REASON + " characters");
        if (v.hasErrors()) return new Outcome.Invalid<>(v.errors());
        long target;
        if (req.messageId() != null) {
            var m = db.chatMessages().findById(req.messageId()).filter(x -> x.channelId() == c.id());
            if (m.isEmpty()) return new Outcome.Invalid<>("messageId", "names no message of this channel");
            if (req.userId() != null && req.userId() != m.get().userId()) {
                return new Outcome.Invalid<>("userId", "is not the author of the reported message");
            }
            target = m.get().userId();
        } else {
            var u = db.users().findById(req.userId());
            if (u.isEmpty()) return new Outcome.Invalid<>("userId", "names no user");
            target = u.get().id();
        }
        if (target == me.id()) return new Outcome.Invalid<>(req.messageId() != null ? "messageId" : "userId", "is yours; you can't report yourself");
        RateLimiter.Decision d = limiter.acquire("chat:report:" + me.id(), REPORTS_PER_WINDOW, REPORT_WINDOW);
        if (!d.allowed()) {
            long s = Math.max(1, d.retryAfter().toSeconds());
            return new Outcome.TooMany<>("You have filed many reports recently; wait " + s + " s.", s);
        }
        Report filed = db.reports().file(c.id(), me.id(), target, req.messageId(), req.reason().strip());
        events.reportFiled(filed);
        return new Outcome.Done<>(filed);
    }

    Outcome<Report> resolve(Channel c, Principal me, long reportId, String rawResolution) {
        if (tooLong(rawResolution)) return tooLongReason("resolution");
        var existing = db.reports().find(c.id(), reportId);
        if (existing.isEmpty()) return new Outcome.NotFound<>("Channel '" + c.slug() + "' has no report " + reportId + ".");
        if (existing.get().status() == Report.Status.RESOLVED) {
            return new Outcome.Conflict<>("reportId", "Report " + reportId + " is already resolved.");
        }
        return db.reports().resolve(c.id(), reportId, me.id(), reason(rawResolution))
                .<Outcome<Report>>map(Outcome.Done::new)
                .orElseGet(() -> new Outcome.Conflict<>("reportId", "Report " + reportId + " was resolved meanwhile."));
    }

    // ---- free-text reasons: optional, blank means none, at most MAX_REASON characters

    private static boolean tooLong(String raw) {
        return raw != null && !raw.isBlank() && raw.length() > MAX_REASON;
    }

    private static <T> Outcome<T> tooLongReason(String field) {
        return new Outcome.Invalid<>(field, "at most " + MAX_REASON + " characters");
    }

    private static String reason(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }
}
