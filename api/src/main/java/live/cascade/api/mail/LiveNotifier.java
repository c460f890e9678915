package live.cascade.api.mail;

import live.cascade.api.ratelimit.RateLimiter;
import live.cascade.db.Channel;
import live.cascade.db.Database;
import live.cascade.db.NoticeRecipient;
import live.cascade.db.OutgoingMail;
import live.cascade.signaling.session.BroadcastListener;
import live.cascade.signaling.session.ChannelRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a channel's followers by mail that it went live. Rate-limited twice: a channel notifies at most once per
 * interval (so a stream that drops and restarts does not mail again), and one follower gets at most a few notices per
 * hour over all the channels they follow. Runs off the media thread that reports the broadcast.
 */
final class LiveNotifier implements BroadcastListener {
    /** Live notices one account receives per hour, over every channel it follows. */
    static final int NOTICES_PER_FOLLOWER_PER_HOUR = 10;
    private static final int BATCH = 500;

    private final Database db;
    private final Mailer mailer;
    private final UnsubscribeTokens unsubscribe;
    private final RateLimiter limiter;
    private final Duration interval;

    LiveNotifier(Database db, Mailer mailer, UnsubscribeTokens unsubscribe, RateLimiter limiter, Duration interval) {
        this.db = db;
        this.mailer = mailer;
        this.unsubscribe = unsubscribe;
        this.limiter = limiter;
        this.interval = interval;
    }

    @Override
    public void onLive(ChannelRef channel) {
        mailer.background("live notice of " + channel.slug(), () -> notifyFollowers(channel.id()));
    }

    void notifyFollowers(long channelId) {
        if (!db.channels().claimLiveNotice(channelId, interval)) return;
        Channel channel = db.channels().findById(channelId).orElse(null);
        if (channel == null) return;
        String watch = mailer.link("/c/" + channel.slug());
        List<OutgoingMail> batch = new ArrayList<>();
        for (NoticeRecipient r : db.follows().liveNoticeRecipients(channelId)) {
            if (r.userId() == channel.ownerId()) continue;
            if (!limiter.acquire("live-notice:" + r.userId(), NOTICES_PER_FOLLOWER_PER_HOUR, Duration.ofHours(1)).allowed()) continue;
            String thisChannel = mailer.link(unsubscribe.path(new UnsubscribeTokens.Target(r.userId(), channelId)));
            String all = mailer.link(unsubscribe.path(new UnsubscribeTokens.Target(r.userId(), UnsubscribeTokens.ALL_CHANNELS)));
            batch.add(new OutgoingMail(r.userId(), "live", r.email(), channel.slug() + " is live: " + channel.title(),
                    "Hello " + r.username() + ",\n\n" + channel.slug() + ", a channel you follow, is live now:\n\n"
                            + channel.title() + "\n" + watch + "\n\n"
                            + "Stop these mails for " + channel.slug() + ": " + thisChannel + "\n"
                            + "Stop all live notices: " + all + "\n", thisChannel));
            if (batch.size() == BATCH) {
                mailer.queueAll(batch);
                batch = new ArrayList<>();
            }
        }
        mailer.queueAll(batch);
    }
}
