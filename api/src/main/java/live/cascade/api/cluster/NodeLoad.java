package live.cascade.api.cluster;

/**
 * What a node carries right now, as it reports it in every heartbeat.
 *
 * @param viewers     WebRTC and HLS viewers on this node
 * @param sessions    media sessions (publishers, viewers, relays) on this node
 * @param maxSessions the most media sessions it admits ({@code --max-sessions})
 * @param egressMbps  media sent, megabits per second
 * @param cpu         process CPU use, 0..1 of the machine
 */
public record NodeLoad(int viewers, int sessions, int maxSessions, double egressMbps, double cpu) {
    public static final NodeLoad IDLE = new NodeLoad(0, 0, 1, 0, 0);

    public NodeLoad {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1");
    }

    /**
     * How full the node is, 0 (idle) to 1 (full) or beyond: the larger of its session share and its CPU, because
     * either one runs out first depending on the bitrates.
     */
    public double utilisation() {
        return Math.max((double) sessions / maxSessions, cpu);
    }
}
