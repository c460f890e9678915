package live.cascade.hls.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the fragments of a fragmented MP4 file are and how long each plays: the index a VOD playlist needs to serve
 * the file by byte range. Reads only box headers and the small {@code moov}/{@code moof} boxes, never the media.
 *
 * <p>Times come from the first video track (the first track when there is no video): each fragment's {@code tfdt}
 * and the sample durations in its {@code trun} (or the defaults in {@code tfhd}/{@code trex}).
 */
public final class Mp4FragmentIndex {
    /** A {@code moof}+{@code mdat} pair (with any {@code styp}/{@code prft} in front of it). */
    public record Fragment(long offset, long length, long startTicks, long durationTicks) {
    }

    private final long initLength;
    private final int timescale;
    private final List<Fragment> fragments;

    private Mp4FragmentIndex(long initLength, int timescale, List<Fragment> fragments) {
        this.initLength = initLength;
        this.timescale = timescale;
        this.fragments = List.copyOf(fragments);
    }

    /** Bytes from the file's start to its first fragment ({@code ftyp}+{@code moov}): the initialization segment. */
    public long initLength() { return initLength; }

    public int timescale() { return timescale; }

    public List<Fragment> fragments() { return fragments; }

    public double seconds(long ticks) { return timescale == 0 ? 0 : ticks / (double) timescale; }

    /** Playing time from the first fragment's start to the last one's end. */
    public long durationMicros() {
        if (fragments.isEmpty() || timescale == 0) return 0;
        Fragment first = fragments.getFirst();
        Fragment last = fragments.getLast();
        return (last.startTicks() + last.durationTicks() - first.startTicks()) * 1_000_000L / timescale;
    }

    private static final class Track {
        int timescale;
        String handler = "";
        long defaultDuration;
    }

    /** Reads the index of {@code file}; throws {@link IOException} when it is not a fragmented MP4. */
    public static Mp4FragmentIndex read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Map<Long, Track> tracks = new HashMap<>();
            long primary = -1;
            long initLength = -1;
            long pendingStart = -1;
            long moofStart = -1;
            long moofTime = -1;
            long moofDuration = 0;
            List<Fragment> fragments = new ArrayList<>();
            long pos = 0;
            while (pos + 8 <= size) {
                ByteBuffer h = read(ch, pos, 16);
                long boxSize = h.getInt(0) & 0xFFFF_FFFFL;
                String type = type(h, 4);
                int header = 8;
                if (boxSize == 1) {
                    if (h.limit() < 16) break;
                    boxSize = h.getLong(8);
                    header = 16;
                } else if (boxSize == 0) {
                    boxSize = size - pos;
                }
                if (boxSize < header || pos + boxSize > size) break; // truncated: the rest is unusable
                switch (type) {
                    case "moov" -> {
                        parseMoov(read(ch, pos + header, (int) Math.min(boxSize - header, 16 << 20)), tracks);
                        primary = primaryTrack(tracks);
                    }
                    case "styp", "prft", "sidx" -> {
                        if (pendingStart < 0) pendingStart = pos;
                    }
                    case "moof" -> {
                        if (initLength < 0) initLength = pendingStart >= 0 ? pendingStart : pos;
                        moofStart = pendingStart >= 0 ? pendingStart : pos;
                        pendingStart = -1;
                        long[] td = parseMoof(read(ch, pos + header, (int) Math.min(boxSize - header, 16 << 20)), tracks, primary);
                        moofTime = td[0];
                        moofDuration = td[1];
                    }
                    case "mdat" -> {
                        if (moofStart >= 0) {
                            fragments.add(new Fragment(moofStart, pos + boxSize - moofStart, moofTime, moofDuration));
                            moofStart = -1;
                        }
                    }
                    default -> { /* ftyp, free, mfra, udta: not part of any fragment */ }
                }
                pos += boxSize;
            }
            if (primary < 0 || initLength < 0) throw new IOException(file + " is not a fragmented MP4 (no moov or no moof)");
            return new Mp4FragmentIndex(initLength, tracks.get(primary).timescale, fragments);
        }
    }

    private static long primaryTrack(Map<Long, Track> tracks) {
        long first = -1;
        for (Map.Entry<Long, Track> e : tracks.entrySet()) {
            if (e.getValue().handler.equals("vide")) return e.getKey();
            if (first < 0 || e.getKey() < first) first = e.getKey();
        }
        return first;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) break;
        }
        b.flip();
        return b;
    }

    private static String type(ByteBuffer b, int at) {
        return new String(new byte[]{b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)}, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Calls {@code visitor} for each child box of the box content in {@code b} from {@code from} to {@code to}. */
    private interface Visitor {
        void box(String type, int contentStart, int contentEnd);
    }

    private static void children(ByteBuffer b, int from, int to, Visitor v) {
        int pos = from;
        while (pos + 8 <= to) {
            long size = b.getInt(pos) & 0xFFFF_FFFFL;
            String type = type(b, pos + 4);
            int header = 8;
            if (size == 1) {
                if (pos + 16 > to) return;
                size = b.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            if (size < header || pos + size > to) return;
            v.box(type, pos + header, (int) (pos + size));
            pos += (int) size;
        }
    }

    private static void parseMoov(ByteBuffer b, Map<Long, Track> tracks) {
        children(b, 0, b.limit(), (type, s, e) -> {
            if (type.equals("trak")) {
                Track t = new Track();
                long[] id = {-1};
                children(b, s, e, (t2, s2, e2) -> {
                    if (t2.equals("tkhd")) {
                        int version = b.get(s2) & 0xFF;
                        id[0] = b.getInt(s2 + (version == 1 ? 20 : 12)) & 0xFFFF_FFFFL;
                    } else if (t2.equals("mdia")) {
                        children(b, s2, e2, (t3, s3, e3) -> {
                            if (t3.equals("mdhd")) {
                                int version = b.get(s3) & 0xFF;
                                t.timescale = b.getInt(s3 + (version == 1 ? 20 : 12));
                            } else if (t3.equals("hdlr")) {
                                t.handler = type(b, s3 + 8);
                            }
                        });
                    }
                });
                if (id[0] >= 0) tracks.put(id[0], t);
            } else if (type.equals("mvex")) {
                children(b, s, e, (t2, s2, e2) -> {
                    if (t2.equals("trex")) {
                        long id = b.getInt(s2 + 4) & 0xFFFF_FFFFL;
                        Track t = tracks.computeIfAbsent(id, k -> new Track());
                        t.defaultDuration = b.getInt(s2 + 12) & 0xFFFF_FFFFL;
                    }
                });
            }
        });
    }

    /** Returns {baseMediaDecodeTime, summed duration} of the primary track's run(s) in this moof. */
    private static long[] parseMoof(ByteBuffer b, Map<Long, Track> tracks, long primary) {
        long[] result = {0, 0};
        children(b, 0, b.limit(), (type, s, e) -> {
            if (!type.equals("traf")) return;
            long[] id = {-1};
            long[] defaultDuration = {0};
            long[] time = {-1};
            long[] duration = {0};
            children(b, s, e, (t2, s2, e2) -> {
                switch (t2) {
                    case "tfhd" -> {
                        int flags = b.getInt(s2) & 0xFFFFFF;
                        id[0] = b.getInt(s2 + 4) & 0xFFFF_FFFFL;
                        int p = s2 + 8;
                        if ((flags & 0x01) != 0) p += 8;
                        if ((flags & 0x02) != 0) p += 4;
                        if ((flags & 0x08) != 0) defaultDuration[0] = b.getInt(p) & 0xFFFF_FFFFL;
                    }
                    case "tfdt" -> {
                        int version = b.get(s2) & 0xFF;
                        time[0] = version == 1 ? b.getLong(s2 + 4) : b.getInt(s2 + 4) & 0xFFFF_FFFFL;
                    }
                    case "trun" -> {
                        int flags = b.getInt(s2) & 0xFFFFFF;
                        int count = b.getInt(s2 + 4);
                        int p = s2 + 8;
                        if ((flags & 0x001) != 0) p += 4;
                        if ((flags & 0x004) != 0) p += 4;
                        int per = 0;
                        for (int bit : new int[]{0x100, 0x200, 0x400, 0x800}) if ((flags & bit) != 0) per += 4;
                        Track t = tracks.get(id[0]);
                        long fallback = defaultDuration[0] != 0 ? defaultDuration[0] : t == null ? 0 : t.defaultDuration;
                        for (int i = 0; i < count && p + per <= e2; i++, p += per) {
                            duration[0] += (flags & 0x100) != 0 ? b.getInt(p) & 0xFFFF_FFFFL : fallback;
                        }
                    }
                    default -> { }
                }
            });
            if (id[0] == primary) {
                result[0] = Math.max(0, time[0]);
                result[1] += duration[0];
            }
        });
        return result;
    }
}
