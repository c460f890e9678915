package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Amf0Test {
    /** The connect command FFmpeg writes for rtmp://127.0.0.1:1935/live/KEY (its fields and order; flashVer FMLE/3.0). */
    static final byte[] FFMPEG_CONNECT = HexFormat.of().parseHex(
            "020007636f6e6e656374003ff00000000000000300036170700200046c69766500047479706502000a6e6f6e707269766174650008666c"
                    + "617368566572020023464d4c452f332e302028636f6d70617469626c653b204c61766636322e332e313030290005746355726c02001a"
                    + "72746d703a2f2f3132372e302e302e313a313933352f6c697665000009");

    @Test
    void readsFfmpegsConnectCommand() {
        List<Object> v = Amf0.decode(FFMPEG_CONNECT);
        assertThat(v).hasSize(3);
        assertThat(v.get(0)).isEqualTo("connect");
        assertThat(v.get(1)).isEqualTo(1.0);
        @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) v.get(2);
        assertThat(o).containsEntry("app", "live").containsEntry("type", "nonprivate")
                .containsEntry("tcUrl", "rtmp://127.0.0.1:1935/live");
        assertThat((String) o.get("flashVer")).startsWith("FMLE/3.0");
    }

    @Test
    void roundTripsEveryValueKindTheServerWrites() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", "status");
        info.put("code", "NetStream.Publish.Start");
        info.put("n", 3.5);
        info.put("flag", true);
        info.put("list", List.of(1.0, "x"));
        byte[] bytes = Amf0.encode("onStatus", 0.0, null, info);
        assertThat(Amf0.decode(bytes)).containsExactly("onStatus", 0.0, null, info);
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsAnEcmaArrayAsOnMetaDataCarriesIt() {
        byte[] meta = HexFormat.of().parseHex("02000a6f6e4d65746144617461" + "08" + "00000002"
                + "0005776964746800" + "4084000000000000" // width 640
                + "000c766964656f636f646563696400" + "401c000000000000" // videocodecid 7
                + "000009");
        List<Object> v = Amf0.decode(meta);
        assertThat(v.get(0)).isEqualTo("onMetaData");
        assertThat((Map<Object, Object>) v.get(1)).containsEntry("width", 640.0).containsEntry("videocodecid", 7.0);
    }

    @Test
    void aTruncatedValueIsAProtocolErrorNotAnIndexError() {
        for (int cut = 1; cut < FFMPEG_CONNECT.length; cut++) {
            byte[] part = Arrays.copyOf(FFMPEG_CONNECT, cut);
            int c = cut;
            // Some prefixes end exactly between values; every other one must fail cleanly.
            try {
                Amf0.decode(part);
            } catch (RtmpProtocolException e) {
                assertThat(e.getMessage()).as("cut at %d", c).isNotBlank();
            }
        }
        assertThatThrownBy(() -> Amf0.decode(Arrays.copyOf(FFMPEG_CONNECT, 12))).isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void deepNestingAndUnknownMarkersAreRefused() {
        byte[] deep = new byte[200];
        Arrays.fill(deep, (byte) 10); // strict arrays of ...
        for (int i = 0; i < deep.length; i += 5) {
            deep[i] = 10;
            deep[i + 1] = 0; deep[i + 2] = 0; deep[i + 3] = 0; deep[i + 4] = 1;
        }
        assertThatThrownBy(() -> Amf0.decode(deep)).isInstanceOf(RtmpProtocolException.class);
        assertThatThrownBy(() -> Amf0.decode(new byte[] {0x11})).isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("marker 17");
    }
}
