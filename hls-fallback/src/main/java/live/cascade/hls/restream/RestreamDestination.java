package live.cascade.hls.restream;

/**
 * One place a broadcast is also sent, as the tap needs it.
 *
 * @param id      the destination's id (its row), for status
 * @param url     the full RTMP/RTMPS URL FFmpeg connects to (server URL + "/" + key): a secret, never logged or shown
 * @param display the server URL without the key, for logs and the studio
 */
public record RestreamDestination(long id, String url, String display) {
    @Override
    public String toString() {
        return "RestreamDestination[" + id + ", " + display + "]";
    }
}
