package live.cascade.ingest.rtmp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMF0 (the encoding of RTMP commands and metadata), read into plain Java values: Number → {@link Double}, Boolean,
 * String (short and long), Object and ECMA array → {@link LinkedHashMap}, strict array → {@link List}, Date →
 * {@link Double} (milliseconds), null and undefined → {@code null}. Other markers (references, AMF3 switch, XML,
 * typed objects) are not sent by encoders in commands and are refused. Truncated or nested past {@link #MAX_DEPTH}
 * input throws {@link RtmpProtocolException}.
 */
public final class Amf0 {
    static final int MAX_DEPTH = 16;
    private static final int NUMBER = 0, BOOLEAN = 1, STRING = 2, OBJECT = 3, NULL = 5, UNDEFINED = 6, ECMA_ARRAY = 8,
            OBJECT_END = 9, STRICT_ARRAY = 10, DATE = 11, LONG_STRING = 12;

    private Amf0() {}

    /** Every value in {@code data}. */
    public static List<Object> decode(byte[] data) {
        Reader r = new Reader(data);
        List<Object> out = new ArrayList<>();
        while (r.pos < data.length) out.add(r.value(0));
        return out;
    }

    private static final class Reader {
        final byte[] d;
        int pos;

        Reader(byte[] d) { this.d = d; }

        void need(int n) {
            if (n < 0 || d.length - pos < n) throw new RtmpProtocolException("AMF0 value cut short at byte " + pos);
        }

        int u8() { need(1); return d[pos++] & 0xFF; }

        int u16() { need(2); int v = ((d[pos] & 0xFF) << 8) | (d[pos + 1] & 0xFF); pos += 2; return v; }

        long u32() { need(4); long v = ((d[pos] & 0xFFL) << 24) | ((d[pos + 1] & 0xFFL) << 16) | ((d[pos + 2] & 0xFFL) << 8) | (d[pos + 3] & 0xFFL); pos += 4; return v; }

        double number() {
            need(8);
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = (bits << 8) | (d[pos + i] & 0xFF);
            pos += 8;
            return Double.longBitsToDouble(bits);
        }

        String utf8(long n) {
            if (n > Integer.MAX_VALUE) throw new RtmpProtocolException("AMF0 string of " + n + " bytes");
            need((int) n);
            String s = new String(d, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw new RtmpProtocolException("AMF0 nested deeper than " + MAX_DEPTH);
            int marker = u8();
            return switch (marker) {
                case NUMBER -> number();
                case BOOLEAN -> u8() != 0;
                case STRING -> utf8(u16());
                case LONG_STRING -> utf8(u32());
                case OBJECT -> properties(depth);
                case ECMA_ARRAY -> {
                    u32(); // the count is a hint; the end marker ends it
                    yield properties(depth);
                }
                case STRICT_ARRAY -> {
                    long n = u32();
                    if (n > d.length - pos) throw new RtmpProtocolException("AMF0 array of " + n + " values in " + (d.length - pos) + " bytes");
                    List<Object> list = new ArrayList<>((int) n);
                    for (long i = 0; i < n; i++) list.add(value(depth + 1));
                    yield list;
                }
                case DATE -> {
                    double ms = number();
                    u16(); // time zone, unused
                    yield ms;
                }
                case NULL, UNDEFINED -> null;
                default -> throw new RtmpProtocolException("AMF0 marker " + marker + " not supported");
            };
        }

        Map<String, Object> properties(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                String key = utf8(u16());
                if (key.isEmpty()) {
                    // An empty key is followed by the object-end marker; some encoders end ECMA arrays early without it.
                    if (pos < d.length && (d[pos] & 0xFF) == OBJECT_END) pos++;
                    else if (pos < d.length) throw new RtmpProtocolException("AMF0 object: empty key without end marker");
                    return m;
                }
                m.put(key, value(depth + 1));
            }
        }
    }

    /** Encodes each value: Number (any {@link Number}), Boolean, String, Map (as Object), List (strict array), null. */
    public static byte[] encode(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) write(out, v);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object v) {
        switch (v) {
            case null -> out.write(NULL);
            case Number n -> {
                out.write(NUMBER);
                long bits = Double.doubleToLongBits(n.doubleValue());
                for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
            }
            case Boolean b -> {
                out.write(BOOLEAN);
                out.write(b ? 1 : 0);
            }
            case String s -> {
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                if (u.length > 0xFFFF) {
                    out.write(LONG_STRING);
                    int n = u.length;
                    out.write(n >>> 24); out.write(n >>> 16); out.write(n >>> 8); out.write(n);
                } else {
                    out.write(STRING);
                    out.write(u.length >>> 8); out.write(u.length);
                }
                out.writeBytes(u);
            }
            case Map<?, ?> m -> {
                out.write(OBJECT);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    byte[] k = e.getKey().toString().getBytes(StandardCharsets.UTF_8);
                    out.write(k.length >>> 8); out.write(k.length);
                    out.writeBytes(k);
                    write(out, e.getValue());
                }
                out.write(0); out.write(0); out.write(OBJECT_END);
            }
            case List<?> l -> {
                out.write(STRICT_ARRAY);
                int n = l.size();
                out.write(n >>> 24); out.write(n >>> 16); out.write(n >>> 8); out.write(n);
                for (Object o : l) write(out, o);
            }
            default -> throw new IllegalArgumentException("no AMF0 form for " + v.getClass().getName());
        }
    }
}
