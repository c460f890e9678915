package live.cascade.db;

/**
 * What the analytics overview shows for one channel, measured over a window the caller chose.
 *
 * @param liveViewers    viewer sessions (WHEP and HLS) open right now, counted only while the channel is live
 * @param watchSeconds   seconds watched inside the watch window, summed over every viewer session overlapping it
 * @param viewerSessions how many viewer sessions overlapped the watch window (the divisor of an average)
 * @param chatMessages   messages posted since the chat cut-off, deleted ones included: they were activity too
 */
public record ChannelActivity(long channelId, String slug, String title, boolean live, int liveViewers, int followers,
                              long watchSeconds, int viewerSessions, int chatMessages) {
}
