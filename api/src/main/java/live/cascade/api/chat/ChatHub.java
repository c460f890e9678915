package live.cascade.api.chat;

import live.cascade.api.moderation.ChatSettingsCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's chat sockets by channel, and the delivery of bus events to them. Each event is serialized once and the
 * same bytes go to every socket of its channel, from the fan-out lanes. Presence is counted on a timer and sent only
 * when it changed, so a crowd joining costs one presence frame per second, not one per join.
 */
public final class ChatHub implements ChatBus.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatHub.class);

    private final ConcurrentHashMap<Long, ChatRoom> rooms = new ConcurrentHashMap<>();
    private final FanOut fanOut;
    private final Presence presence;
    private final ChatSettingsCache settings;
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    public ChatHub(Presence presence, ChatSettingsCache settings, int lanes, Duration presenceInterval, Duration coalesce) {
        this.fanOut = new FanOut(lanes, coalesce);
        this.presence = presence;
        this.settings = settings;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("chat-presence").factory());
        long every = presenceInterval.toMillis();
        ticker.scheduleWithFixedDelay(this::presenceTick, every, every, TimeUnit.MILLISECONDS);
    }

    int assignLane() {
        return fanOut.assign();
    }

    void join(ChatSocket s) {
        rooms.compute(s.channelId, (id, room) -> {
            ChatRoom r = room == null ? new ChatRoom(id, fanOut.laneCount()) : room;
            r.add(s);
            return r;
        });
    }

    void leave(ChatSocket s) {
        rooms.computeIfPresent(s.channelId, (id, room) -> {
            room.remove(s);
            return room.size() == 0 ? null : room;
        });
    }

    /** What a newly connected socket is told: the last count sent to the room, or this node's count before the first. */
    int presenceOf(long channelId) {
        ChatRoom r = rooms.get(channelId);
        if (r == null) return 0;
        int last = r.lastPresence;
        return last >= 0 ? last : r.size();
    }

    @Override
    public void onEvent(ChatEvent event) {
        ServerFrame frame = event.frame();
        if (frame instanceof ServerFrame.SettingsChanged) settings.invalidate(event.channelId());
        ChatRoom room = rooms.get(event.channelId());
        if (room == null) return;
        SerializedFrame encoded = SerializedFrame.of(frame);
        long bannedUser = frame instanceof ServerFrame.UserBanned b ? b.user().id() : 0;
        broadcast(room, encoded, bannedUser);
    }

    @Override
    public void onGap(String reason) {
        for (ChatRoom room : rooms.values()) {
            broadcast(room, SerializedFrame.of(new ServerFrame.Resync(room.channelId, reason)), 0);
        }
    }

    private void broadcast(ChatRoom room, SerializedFrame frame, long bannedUser) {
        FanOut.Delivery d = new FanOut.Delivery(room, frame, bannedUser);
        for (int lane = 0; lane < room.laneCount(); lane++) {
            if (room.lane(lane).length > 0) fanOut.deliver(lane, d);
        }
    }

    private void presenceTick() {
        if (closed) return;
        try {
            Map<Long, Integer> local = new HashMap<>();
            rooms.forEach((id, room) -> local.put(id, room.size()));
            Map<Long, Integer> totals = presence.exchange(local);
            for (ChatRoom room : rooms.values()) {
                int total = totals.getOrDefault(room.channelId, room.size());
                if (total != room.lastPresence) {
                    room.lastPresence = total;
                    broadcast(room, SerializedFrame.of(new ServerFrame.Presence(room.channelId, total)), 0);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("chat presence tick failed: {}", e.toString());
        }
    }

    /** Closes every socket (1001, going away) and stops the lanes. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        for (ChatRoom room : rooms.values()) {
            List<ChatSocket> all = room.all();
            for (ChatSocket s : all) s.close(1001, "server shutting down");
        }
        rooms.clear();
        fanOut.close();
        presence.close();
    }
}
