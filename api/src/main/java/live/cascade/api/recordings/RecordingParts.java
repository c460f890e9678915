package live.cascade.api.recordings;

import live.cascade.api.http.ApiException;
import live.cascade.db.Recording;
import live.cascade.hls.record.MediaProbe;
import live.cascade.hls.record.Mp4FragmentIndex;
import live.cascade.hls.record.Recorder;
import live.cascade.hls.record.VodPlaylist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a recording that is in several parts (its recorder had to continue in a new file): part 1 is the
 * stored media path, the others lie beside it ({@code recording-2.mp4}, …). Playback serves each part by
 * {@code /media?part=n} and the VOD playlist plays them as one, with a discontinuity between parts; a clip is cut from
 * the part its start falls in.
 */
final class RecordingParts {
    private final RecordingFiles files;

    RecordingParts(RecordingFiles files) {
        this.files = files;
    }

    /** Where each part's file is: on this node's disk, or fetched from object storage to a scratch directory. */
    @FunctionalInterface
    interface Source {
        Path file(int n);
    }

    /** The parts on this node's disk. */
    Source local(Recording r) {
        return n -> file(r, n);
    }

    /** {@code n} when the recording has such a part; else a problem document. */
    static int checked(Recording r, int n) {
        if (n < 1 || n > r.parts()) {
            throw ApiException.notFound("Recording " + r.id() + " has " + r.parts() + (r.parts() == 1 ? " part" : " parts")
                    + ": part must be 1" + (r.parts() == 1 ? "" : " to " + r.parts()) + ".");
        }
        return n;
    }

    /** Part {@code n} (1-based) of the recording, if it is on this node. */
    Path file(Recording r, int n) {
        checked(r, n);
        return files.resolve(r.mediaPath()).map(first -> Recorder.partFile(first, n)).filter(Files::isRegularFile)
                .orElseThrow(() -> ApiException.notFound("The media of recording " + r.id() + (r.parts() > 1 ? " (part " + n + ")" : "")
                        + " is not on this node."));
    }

    /** The {@code part} query parameter: 1 when absent; a problem document when it is not a number. */
    static int requested(String param) {
        if (param == null || param.isBlank()) return 1;
        try {
            return Integer.parseInt(param.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalidField("part", "must be a part number (1 for the first)");
        }
    }

    /**
     * The VOD playlist over every part; URIs relative to the playlist ({@code media.mp4?token=…},
     * {@code media.mp4?part=2&token=…}, …), with the extension that libavformat's HLS demuxer insists on, and the
     * playback token that the segment URL asks for.
     */
    String playlist(Recording r, String token) throws IOException {
        List<Mp4FragmentIndex> indexes = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int n = 1; n <= r.parts(); n++) {
            indexes.add(Mp4FragmentIndex.read(file(r, n)));
            uris.add(n == 1 ? "media.mp4?token=" + token : "media.mp4?part=" + n + "&token=" + token);
        }
        return VodPlaylist.render(indexes, uris);
    }

    /** Where a time of the whole recording lies: in which part, and how far into it. */
    record Position(Path file, long micros) {
    }

    /** The part holding {@code micros} of the recording (the last part for anything beyond its end). */
    Position locate(Recording r, long micros, Source source) {
        long offset = 0;
        for (int n = 1; n < r.parts(); n++) {
            Path f = source.file(n);
            long d = MediaProbe.probe(f).durationMicros();
            if (micros < offset + d) return new Position(f, micros - offset);
            offset += d;
        }
        return new Position(source.file(r.parts()), micros - offset);
    }
}
