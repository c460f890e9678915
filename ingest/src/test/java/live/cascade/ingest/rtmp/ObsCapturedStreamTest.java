package live.cascade.ingest.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import live.cascade.ingest.audio.AacPassThrough;
import live.cascade.ingest.flv.AvcConfig;
import live.cascade.ingest.flv.VideoTag;
import live.cascade.ingest.rtp.H264Packetizer;
import live.cascade.ingest.rtp.RtpBatch;
import live.cascade.sfu.codec.SpsParser;
import org.junit.jupiter.api.Test;

/**
 * A real OBS publish replayed: {@code rtmp/obs-29-publish.bin} is every byte OBS Studio 29.0.2 (Debian 12's
 * obs-studio, headless under Xvfb) sent a node for about 3.5 s of a 640x360 colour source, x264 at 30 fps with a 1 s
 * keyframe interval, and silent AAC, from its handshake to the FCUnpublish and deleteStream of "Stop Streaming"
 * (recorded by {@code src/test/obs-capture/capture.sh} through a relay; the same node took it live with H.264 and
 * AAC). What sets it apart from FFmpeg's ({@link CapturedStreamTest}): a plain handshake, its Set Chunk Size before
 * connect, FMLE's connect object, publish, metadata, audio and video all on one chunk stream, and keyframes that
 * carry SPS and PPS in band and come in two slices.
 */
class ObsCapturedStreamTest {
    static final String KEY = "live__WJT373egfYdI04K2GzZcpsmNprSi55j9uNu3mGYfLk";

    static byte[] capture() throws IOException { return CapturedPublish.resource("/rtmp/obs-29-publish.bin"); }

    /** One message as the codec read it, with the chunk stream it came on and the chunk size then in force. */
    record Read(RtmpMessage message, int chunkSize) {
        List<Object> amf() { return Amf0.decode(message.payload()); }
    }

    /** The capture through the handshake and the chunk reader, the way the server meets it. */
    static List<Read> messages(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        Handshake handshake = new Handshake();
        assertThat(handshake.consume(in)).as("C0 + C1 answered").isNotNull();
        handshake.consume(in);
        assertThat(handshake.step()).isEqualTo(Handshake.Step.DONE);
        ChunkReader reader = new ChunkReader();
        List<Read> out = new ArrayList<>();
        reader.read(in, m -> out.add(new Read(m, reader.chunkSize())));
        assertThat(in.readableBytes()).as("the capture ends on a whole chunk").isZero();
        return out;
    }

    @Test
    void obsSpeaksThePlainHandshake() throws IOException {
        byte[] bytes = capture();
        assertThat(bytes[0]).as("C0: RTMP 3").isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(bytes, 5, 9)).as("C1's version field: zero, no digest").containsOnly(0);
    }

    @Test
    void obsSendsTheEncoderCommandSequenceWithTheStreamKeyAsPublishName() throws IOException {
        List<Read> all = messages(capture());
        List<Read> commands = all.stream().filter(r -> r.message().type() == RtmpMessage.COMMAND_AMF0).toList();
        assertThat(commands).extracting(r -> r.amf().getFirst()).containsExactly(
                "connect", "releaseStream", "FCPublish", "createStream", "publish", "FCUnpublish", "deleteStream");
        assertThat(commands).extracting(r -> r.amf().get(1)).as("transaction ids")
                .containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
        assertThat(all).noneMatch(r -> r.message().type() == RtmpMessage.COMMAND_AMF3);
        assertThat(all).as("no acknowledgement, user control or window size of its own in a short publish")
                .allMatch(r -> r.message().type() >= RtmpMessage.AUDIO);

        Read connect = commands.getFirst();
        assertThat(connect.chunkSize()).as("OBS's Set Chunk Size (4096) precedes connect").isEqualTo(4096);
        Map<?, ?> app = (Map<?, ?>) connect.amf().get(2);
        assertThat(app.get("app")).isEqualTo("live");
        assertThat((String) app.get("tcUrl")).matches("rtmp://127\\.0\\.0\\.1:\\d+/live");
        assertThat(app.get("type")).isEqualTo("nonprivate");
        assertThat(app.get("flashVer")).isEqualTo("FMLE/3.0 (compatible; FMSc/1.0)");
        assertThat(app.get("supportsGoAway")).as("OBS would follow a server's goAway").isEqualTo(true);

        for (int i : new int[] {1, 2, 5}) {
            assertThat(commands.get(i).amf()).as(commands.get(i).amf().getFirst() + " names the key")
                    .containsExactly(commands.get(i).amf().getFirst(), (double) i + 1, null, KEY);
        }
        Read publish = commands.get(4);
        assertThat(publish.amf()).containsExactly("publish", 5.0, null, KEY, "live");
        assertThat(publish.message().streamId()).as("on the stream createStream made").isEqualTo(RtmpConnection.STREAM_ID);
        assertThat(commands.get(6).amf()).containsExactly("deleteStream", 7.0, null, 1.0);
    }

    @Test
    void obsMetadataDescribesH264AndAacAtTheProfilesSettings() throws IOException {
        List<Read> data = messages(capture()).stream().filter(r -> r.message().type() == RtmpMessage.DATA_AMF0).toList();
        assertThat(data).singleElement().satisfies(r -> {
            assertThat(r.amf()).hasSize(3).startsWith("@setDataFrame", "onMetaData");
            Map<?, ?> meta = (Map<?, ?>) r.amf().get(2);
            assertThat(meta.get("width")).isEqualTo(640.0);
            assertThat(meta.get("height")).isEqualTo(360.0);
            assertThat(meta.get("framerate")).isEqualTo(30.0);
            assertThat(meta.get("videocodecid")).as("AVC").isEqualTo(7.0);
            assertThat(meta.get("audiocodecid")).as("AAC").isEqualTo(10.0);
            assertThat(meta.get("audiosamplerate")).isEqualTo(48000.0);
            assertThat(meta.get("audiochannels")).isEqualTo(2.0);
            assertThat(meta.get("stereo")).isEqualTo(true);
            assertThat((String) meta.get("encoder")).isEqualTo("obs-output module (libobs version 29.0.2.1-1+b1)");
        });
    }

    @Test
    void obsSendsSequenceHeadersFirstAndKeyframesWithParameterSetsInBand() throws IOException {
        List<Read> all = messages(capture());
        List<Read> media = all.stream().filter(r -> r.message().type() <= RtmpMessage.VIDEO
                && r.message().type() >= RtmpMessage.AUDIO).toList();
        assertThat(all.stream().filter(r -> r.message().type() != RtmpMessage.COMMAND_AMF0).map(r -> r.message().streamId())
                .distinct()).as("metadata and media on the stream createStream made").containsExactly(RtmpConnection.STREAM_ID);

        byte[] asc = media.getFirst().message().payload();
        assertThat(media.getFirst().message().type()).as("the audio sequence header comes first").isEqualTo(RtmpMessage.AUDIO);
        assertThat(asc[0] & 0xFF).as("AAC, 44 kHz flag, 16 bit, stereo").isEqualTo(0xAF);
        assertThat(asc[1]).isEqualTo((byte) 0);
        assertThat(AacPassThrough.rate(Arrays.copyOfRange(asc, 2, asc.length))).as("AAC-LC 48 kHz, passed through").isEqualTo(48000);

        List<byte[]> video = media.stream().filter(r -> r.message().type() == RtmpMessage.VIDEO).map(r -> r.message().payload()).toList();
        byte[] header = video.getFirst();
        VideoTag tag = VideoTag.parse(header);
        assertThat(tag.keyframe()).isTrue();
        assertThat(tag.packetType()).isEqualTo(VideoTag.SEQUENCE_HEADER);
        AvcConfig avc = AvcConfig.parse(header, tag.dataOffset(), header.length - tag.dataOffset());
        assertThat(avc.profileLevelId()).as("x264 profile=main at 640x360: Main, level 3.0").isEqualTo("4d401e");
        assertThat(avc.lengthSize()).isEqualTo(4);
        assertThat(avc.sps()).hasSize(1);
        assertThat(avc.pps()).hasSize(1);
        SpsParser sps = new SpsParser();
        assertThat(sps.parse(avc.sps().getFirst(), 0, avc.sps().getFirst().length)).isTrue();
        assertThat(sps.width()).isEqualTo(640);
        assertThat(sps.height()).isEqualTo(360);

        List<byte[]> keyframes = video.subList(1, video.size()).stream().filter(v -> VideoTag.parse(v).keyframe()).toList();
        assertThat(keyframes).as("a keyframe a second for 3.5 s").hasSizeBetween(3, 5);
        assertThat(nalTypes(keyframes.getFirst(), 5)).as("first: x264's banner SEI (twice, 615 bytes each), SPS, PPS, two IDR slices")
                .containsExactly(6, 7, 8, 6, 5, 5);
        for (byte[] k : keyframes.subList(1, keyframes.size())) {
            assertThat(nalTypes(k, 5)).as("later: SPS, PPS, two IDR slices (tune=zerolatency: sliced threads)").containsExactly(7, 8, 5, 5);
        }
        assertThat(video).allMatch(v -> VideoTag.parse(v).cts() == 0);
    }

    /**
     * OBS sends audio and video on the same chunk stream (4, with publish and the metadata), so most of its headers
     * are type 1 or 2 deltas taken from whichever track went last: each track's clock must still come out whole.
     */
    @Test
    void obsAudioAndVideoShareAChunkStreamAndEachKeepsItsOwnClock() throws IOException {
        List<RtmpMessage> frames = messages(capture()).stream().map(Read::message)
                .filter(m -> (m.type() == RtmpMessage.VIDEO || m.type() == RtmpMessage.AUDIO) && m.payload()[1] == 1).toList();
        long lastAudio = -1, lastVideo = -1;
        int switches = 0;
        for (int i = 0; i < frames.size(); i++) {
            RtmpMessage m = frames.get(i);
            if (i > 0 && m.type() != frames.get(i - 1).type()) switches++;
            if (m.type() == RtmpMessage.AUDIO) {
                if (lastAudio >= 0) assertThat(m.timestamp() - lastAudio).as("1024 samples at 48 kHz").isBetween(21L, 22L);
                lastAudio = m.timestamp();
            } else {
                if (lastVideo >= 0) assertThat(m.timestamp() - lastVideo).as("30 fps").isBetween(33L, 34L);
                lastVideo = m.timestamp();
            }
        }
        assertThat(switches).as("audio and video alternate").isGreaterThan(100);
        assertThat(lastVideo).as("about 3.5 s of video").isBetween(3000L, 4000L);
    }

    @Test
    void obsWholePublishGoesThroughTheConnectionInAnySlicing() throws IOException {
        byte[] bytes = capture();
        for (long seed = 1; seed <= 5; seed++) {
            CapturedPublish run = CapturedPublish.replay(bytes, seed);
            List<byte[]> video = run.video();
            List<byte[]> audio = run.audio();
            assertThat(run.counters().protocolErrors()).isZero();
            assertThat(run.keys()).containsExactly(KEY);
            assertThat(run.statusCodes()).containsExactly("NetStream.Publish.Start");
            assertThat(run.events()).as("FCUnpublish ended the publish, deleteStream found nothing left").containsExactly("close");
            assertThat(run.active()).isTrue();
            assertThat(video).hasSize(107);
            assertThat(audio).hasSize(166);
            if (seed == 1) packetizesEveryFrame(video);
        }
    }

    private static void packetizesEveryFrame(List<byte[]> video) {
        byte[] h = video.getFirst();
        VideoTag header = VideoTag.parse(h);
        AvcConfig avc = AvcConfig.parse(h, header.dataOffset(), h.length - header.dataOffset());
        H264Packetizer p = new H264Packetizer(1, 102, 0, 1200);
        RtpBatch batch = new RtpBatch();
        for (byte[] tag : video.subList(1, video.size())) {
            VideoTag v = VideoTag.parse(tag);
            int nals = nalTypes(tag, v.dataOffset()).size();
            assertThat(p.packetize(tag, v.dataOffset(), avc.lengthSize(), 0, v.keyframe(), avc.sps(), batch))
                    .as("in-band SPS/PPS: nothing added before OBS's keyframes").isEqualTo(nals);
        }
        assertThat(batch.isEmpty()).isFalse();
    }

    /** The types of the 4-byte-length-prefixed NAL units from {@code off}. */
    static List<Integer> nalTypes(byte[] tag, int off) {
        List<Integer> types = new ArrayList<>();
        for (int p = off; p + 4 < tag.length; ) {
            int n = ((tag[p] & 0xFF) << 24) | ((tag[p + 1] & 0xFF) << 16) | ((tag[p + 2] & 0xFF) << 8) | (tag[p + 3] & 0xFF);
            types.add(tag[p + 4] & 0x1F);
            p += 4 + n;
        }
        return types;
    }
}
