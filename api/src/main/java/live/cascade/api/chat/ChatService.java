package live.cascade.api.chat;

import live.cascade.api.auth.Principal;
import live.cascade.api.durability.DatabaseOutage;
import live.cascade.api.moderation.ChannelRights;
import live.cascade.api.moderation.ChatSettingsCache;
import live.cascade.api.moderation.MessageFilter;
import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.api.safety.TermsGate;
import live.cascade.db.Ban;
import live.cascade.db.Channel;
import live.cascade.db.ChatMessage;
import live.cascade.db.ChatSettings;
import live.cascade.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Posting a chat message, the same for the socket and REST: the checks in order (ban or timeout, the author's rate
 * limit, empty or too long, followers-only, slow mode, blocked words, patterns and links), then one insert, then one
 * event on the bus. The channel's owner, its moderators and administrators are exempt from followers-only, slow
 * mode and the word and link filters, not from bans, the rate limit or the length limit.
 *
 * <p>While the database is unreachable a message is refused ({@link ChatError#UNAVAILABLE}, with a retry delay), not
 * queued: accepting it would mean skipping the checks above, which read the author's current standing and bans from
 * the database (a suspended or banned user could post during every outage), and answering without the stored id that
 * moderators delete by. Refused is not lost: the author is told at once and the web app keeps the text to send again.
 */
public final class ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

    private final Database db;
    private final ChannelRights rights;
    private final ChatSettingsCache settings;
    private final RateLimiter limiter;
    private final int rateLimit;
    private final Duration rateWindow;
    private final ChatBus bus;
    private final Clock clock;

    public ChatService(Database db, ChannelRights rights, ChatSettingsCache settings, RateLimiter limiter, int rateLimit,
                       Duration rateWindow, ChatBus bus, Clock clock) {
        this.db = db;
        this.rights = rights;
        this.settings = settings;
        this.limiter = limiter;
        this.rateLimit = rateLimit;
        this.rateWindow = rateWindow;
        this.bus = bus;
        this.clock = clock;
    }

    public PostOutcome post(Principal caller, Channel channel, String raw) {
        try {
            return checkAndStore(caller, channel, raw);
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isUnreachable(e)) throw e;
            LOG.debug("chat message refused, database unreachable: {}", e.toString());
            return new PostOutcome.Rejected(ChatError.UNAVAILABLE, "Chat is paused for a moment: the server cannot store messages "
                    + "right now. Your message was not sent.", DatabaseOutage.RETRY_AFTER);
        }
    }

    private PostOutcome checkAndStore(Principal caller, Channel channel, String raw) {
        Instant now = clock.instant();
        // Standing is read now, not trusted from when the socket connected: a frame sent in the moment between a
        // logout or suspension and its command reaching this node is refused here.
        Principal author;
        switch (Standing.of(db, caller.tokenHash(), caller.id(), now)) {
            case Standing.Revoked r -> {
                return new PostOutcome.Rejected(r.error(), r.message());
            }
            // The account as it is now: a role taken away since the connect no longer exempts from the chat's rules.
            case Standing.Stands s -> author = new Principal(s.user(), caller.tokenHash(), caller.viaCookie());
        }
        // The socket's messages pass here, not through the REST gate: new Terms hold them too until accepted.
        Optional<String> terms = TermsGate.refusal(db, author.user());
        if (terms.isPresent()) return new PostOutcome.Rejected(ChatError.TERMS_NOT_ACCEPTED, terms.get());
        Optional<Ban> ban = db.bans().findActive(channel.id(), author.id(), now);
        if (ban.isPresent()) return banned(ban.get(), now);

        RateLimiter.Decision d = limiter.acquire("chat:post:" + author.id(), rateLimit, rateWindow);
        if (!d.allowed()) {
            return new PostOutcome.Rejected(ChatError.RATE_LIMITED, "You are sending messages too fast; wait "
                    + seconds(d.retryAfter()) + " s.", d.retryAfter());
        }

        ChatSettingsCache.Entry entry = settings.get(channel.id());
        ChatSettings s = entry.settings();
        String text = ChatText.clean(raw);
        if (text.isEmpty()) return new PostOutcome.Rejected(ChatError.EMPTY, "The message is empty.");
        int length = ChatText.length(text);
        if (length > s.maxMessageLength() || text.length() > ChatSettings.MAX_MESSAGE_LENGTH) {
            return new PostOutcome.Rejected(ChatError.TOO_LONG, "The message is " + length
                    + " characters long; this chat allows at most " + s.maxMessageLength() + ".");
        }

        if (!rights.canModerate(channel, author)) {
            if (s.followersOnly() && !db.follows().isFollowing(author.id(), channel.id())) {
                return new PostOutcome.Rejected(ChatError.FOLLOWERS_ONLY,
                        "This chat is followers-only: follow the channel to post.");
            }
            if (s.slowModeSeconds() > 0) {
                Optional<Instant> last = db.chatMessages().lastPostedAt(channel.id(), author.id());
                if (last.isPresent()) {
                    Duration wait = Duration.between(now, last.get().plusSeconds(s.slowModeSeconds()));
                    if (wait.isPositive()) {
                        return new PostOutcome.Rejected(ChatError.SLOW_MODE, "Slow mode is on (one message every "
                                + s.slowModeSeconds() + " s): wait " + seconds(wait) + " s.", wait);
                    }
                }
            }
            Optional<MessageFilter.Verdict> verdict = entry.filter().check(text);
            if (verdict.isPresent()) {
                return switch (verdict.get()) {
                    case BLOCKED_WORD -> new PostOutcome.Rejected(ChatError.BLOCKED_WORD,
                            "The message contains a word this chat blocks.");
                    case BLOCKED_PATTERN -> new PostOutcome.Rejected(ChatError.BLOCKED_WORD,
                            "The message matches a phrase this chat blocks.");
                    case LINK -> new PostOutcome.Rejected(ChatError.LINK_BLOCKED, "Links are not allowed in this chat.");
                };
            }
        }

        ChatMessage stored = db.chatMessages().post(channel.id(), author.id(), text);
        try {
            bus.publish(new ChatEvent(channel.id(), ServerFrame.Message.of(stored)));
        } catch (RuntimeException e) {
            // Stored is stored: the message is in everyone's history even if this delivery failed.
            LOG.warn("chat message {} stored but not delivered: {}", stored.id(), e.toString());
        }
        return new PostOutcome.Posted(stored);
    }

    /** The refusal for a user who is banned or timed out, also used when such a user connects. */
    static PostOutcome.Rejected banned(Ban ban, Instant now) {
        String why = ban.reason() == null || ban.reason().isBlank() ? "" : " Reason: " + ban.reason();
        if (ban.permanent()) return new PostOutcome.Rejected(ChatError.BANNED, "You are banned from this chat." + why);
        Duration left = ban.remaining(now);
        return new PostOutcome.Rejected(ChatError.TIMED_OUT, "You are timed out for " + seconds(left) + " more s." + why, left);
    }

    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
