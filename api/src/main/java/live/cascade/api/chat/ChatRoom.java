package live.cascade.api.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sockets this node holds for one channel, kept per fan-out lane as copy-on-write arrays: joins and leaves are
 * rare next to deliveries, and a delivery walks a lane's array without a lock.
 */
final class ChatRoom {
    private static final ChatSocket[] NONE = new ChatSocket[0];

    final long channelId;
    private volatile ChatSocket[][] lanes;
    private int size;
    /** The presence count last sent to this room's sockets, -1 before the first. Only the presence tick writes it. */
    volatile int lastPresence = -1;

    ChatRoom(long channelId, int laneCount) {
        this.channelId = channelId;
        ChatSocket[][] l = new ChatSocket[laneCount][];
        Arrays.fill(l, NONE);
        this.lanes = l;
    }

    synchronized void add(ChatSocket s) {
        ChatSocket[][] l = lanes.clone();
        ChatSocket[] lane = Arrays.copyOf(l[s.lane], l[s.lane].length + 1);
        lane[lane.length - 1] = s;
        l[s.lane] = lane;
        lanes = l;
        size++;
    }

    /** @return false if the socket was not here */
    synchronized boolean remove(ChatSocket s) {
        ChatSocket[] lane = lanes[s.lane];
        for (int i = 0; i < lane.length; i++) {
            if (lane[i] == s) {
                ChatSocket[] shorter = new ChatSocket[lane.length - 1];
                System.arraycopy(lane, 0, shorter, 0, i);
                System.arraycopy(lane, i + 1, shorter, i, lane.length - i - 1);
                ChatSocket[][] l = lanes.clone();
                l[s.lane] = shorter;
                lanes = l;
                size--;
                return true;
            }
        }
        return false;
    }

    synchronized int size() {
        return size;
    }

    ChatSocket[] lane(int lane) {
        return lanes[lane];
    }

    int laneCount() {
        return lanes.length;
    }

    List<ChatSocket> all() {
        List<ChatSocket> out = new ArrayList<>();
        for (ChatSocket[] lane : lanes) out.addAll(Arrays.asList(lane));
        return out;
    }
}
