package live.cascade.sfu.routing;

import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.receive.PublisherTrack;

import java.util.List;

/** Which offered track can feed which of a router's tracks: by kind and codec format, each used once. */
final class TrackMatch {
    private TrackMatch() {}

    /** Per router track, the index of the candidate track feeding it; null when the candidate cannot feed the router. */
    static int[] of(PublisherTrack[] tracks, List<TrackParameters> candidate) {
        if (candidate.size() != tracks.length) return null;
        int[] match = new int[tracks.length];
        boolean[] used = new boolean[candidate.size()];
        for (int i = 0; i < tracks.length; i++) {
            match[i] = -1;
            for (int j = 0; j < candidate.size(); j++) {
                TrackParameters p = candidate.get(j);
                if (!used[j] && p.kind() == tracks[i].kind && p.codec().sameFormat(tracks[i].format)) {
                    used[j] = true;
                    match[i] = j;
                    break;
                }
            }
            if (match[i] < 0) return null;
        }
        return match;
    }
}
