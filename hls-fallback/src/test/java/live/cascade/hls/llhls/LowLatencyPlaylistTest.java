package live.cascade.hls.llhls;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The low-latency playlist against the LL-HLS rules of RFC 8216bis: server control, part info, parts only near the live
 * edge, independent parts, preload hint, rendition reports, sequencing across segment boundaries, blocking reloads,
 * requests too far ahead, delta updates, and the end of the stream.
 */
class LowLatencyPlaylistTest {
    private static final long PART = 333_333; // a 30 fps frame is 33 333 µs: ten frames per part
    private static final long SEGMENT = 2_000_000;

    /** A rendition fed like the segmenter does: init, then parts (6 per 2 s segment), segments. */
    private static final class Feed {
        final LowLatencyRendition r = new LowLatencyRendition("source", 8, 2, 333_000, t -> Instant.ofEpochSecond(1_700_000_000L, t * 1000), () -> {});
        long t;
        int partInSegment;

        Feed() { r.onInit(); }

        void part() {
            r.onPartStart(t, partInSegment == 0);
            r.onPartChunk(new byte[]{1, 2, 3});
            t += partInSegment == 5 ? SEGMENT - 5 * PART : PART; // the last part of a segment ends where it does
            r.onPartEnd(t);
            partInSegment++;
        }

        void segment() {
            while (partInSegment < 6) part();
            r.onSegment(SEGMENT, false);
            partInSegment = 0;
        }

        String render() { return r.render(false, List.of(new RenditionReport("../360p/index.m3u8", 4, 2))); }
    }

    @Test
    void aLivePlaylistCarriesServerControlPartInfoPartsNearTheEdgeAPreloadHintAndReports() {
        Feed f = new Feed();
        for (int i = 0; i < 4; i++) f.segment();
        f.part();
        f.part();
        String p = f.render();

        assertThat(p).startsWith("#EXTM3U\n");
        assertThat(p).contains("#EXT-X-TARGETDURATION:2\n");
        Matcher sc = Pattern.compile("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=([0-9.]+),PART-HOLD-BACK=([0-9.]+)\n").matcher(p);
        assertThat(sc.find()).as(p).isTrue();
        Matcher pi = Pattern.compile("#EXT-X-PART-INF:PART-TARGET=([0-9.]+)\n").matcher(p);
        assertThat(pi.find()).isTrue();
        double partTarget = Double.parseDouble(pi.group(1));
        assertThat(partTarget).isEqualTo(0.333);
        assertThat(Double.parseDouble(sc.group(2))).as("PART-HOLD-BACK at least three part targets").isGreaterThanOrEqualTo(3 * partTarget);
        assertThat(Double.parseDouble(sc.group(1))).as("CAN-SKIP-UNTIL at least six target durations").isGreaterThanOrEqualTo(12.0);

        // Legacy players: every complete segment still has EXTINF and its URI.
        assertThat(Pattern.compile("#EXTINF:2\\.000,\n(\\d+)\\.m4s\n").matcher(p).results().map(m -> m.group(1)).toList())
                .containsExactly("0", "1", "2", "3");
        // Parts of the last two complete segments and of the one in progress only.
        List<String> parts = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"(\\d+\\.\\d+)\\.m4s\"(,INDEPENDENT=YES)?").matcher(p)
                .results().map(m -> m.group(2) + (m.group(3) == null ? "" : "!")).toList();
        assertThat(parts).containsExactly("2.0!", "2.1", "2.2", "2.3", "2.4", "2.5", "3.0!", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0!", "4.1");
        for (String d : Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+)").matcher(p).results().map(m -> m.group(1)).toList()) {
            assertThat(Double.parseDouble(d)).isLessThanOrEqualTo(partTarget).isGreaterThanOrEqualTo(0.85 * partTarget);
        }
        // The hint names the part after the last one, and comes after every part.
        assertThat(p).contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"4.2.m4s\"\n");
        assertThat(p.indexOf("#EXT-X-PRELOAD-HINT")).isGreaterThan(p.lastIndexOf("#EXT-X-PART:"));
        assertThat(p).contains("#EXT-X-RENDITION-REPORT:URI=\"../360p/index.m3u8\",LAST-MSN=4,LAST-PART=2\n");
        assertThat(p).contains("#EXT-X-PROGRAM-DATE-TIME:").contains("#EXT-X-MAP:URI=\"init-0.mp4\"").doesNotContain("#EXT-X-ENDLIST");
        assertThat(f.r.report("x").lastMsn()).isEqualTo(4);
        assertThat(f.r.report("x").lastPart()).isEqualTo(1);
    }

    @Test
    void thePartBeingWrittenIsTheHintAndSequencingCarriesOverSegmentBoundaries() {
        Feed f = new Feed();
        f.segment();
        for (int i = 0; i < 5; i++) f.part();
        assertThat(f.r.report("x")).extracting(RenditionReport::lastMsn, RenditionReport::lastPart).containsExactly(1L, 4);
        f.r.onPartStart(f.t, false);
        assertThat(f.render()).contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"1.5.m4s\"");
        Part open = f.r.part(1, 5).orElseThrow();
        assertThat(open.complete()).isFalse();
        f.t += SEGMENT - 5 * PART;
        f.r.onPartEnd(f.t);
        f.r.onSegment(SEGMENT, false);
        // Segment 1 is complete with 6 parts; the next part is part 0 of segment 2.
        assertThat(open.complete()).isTrue();
        assertThat(f.r.report("x")).extracting(RenditionReport::lastMsn, RenditionReport::lastPart).containsExactly(1L, 5);
        String p = f.render();
        assertThat(p).contains("#EXTINF:2.000,\n1.m4s\n").contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"2.0.m4s\"");
        assertThat(p).contains("#EXT-X-MEDIA-SEQUENCE:0\n");
    }

    @Test
    void aBlockingReloadCompletesWhenTheAwaitedPartIsPublished() throws Exception {
        Feed f = new Feed();
        f.segment();
        f.part(); // 1.0
        CompletableFuture<Void> part2 = f.r.await(new ReloadRequest(1, 2, false));
        CompletableFuture<Void> segment1 = f.r.await(new ReloadRequest(1, -1, false));
        CompletableFuture<Void> pastTheEnd = f.r.await(new ReloadRequest(1, 6, false)); // segment 1 has only 6 parts
        assertThat(f.r.await(new ReloadRequest(1, 0, false))).as("already there").isDone();
        assertThat(f.r.await(new ReloadRequest(0, -1, false))).isDone();
        assertThat(f.r.waiting()).isEqualTo(3);
        f.part(); // 1.1
        assertThat(part2).isNotDone();
        f.part(); // 1.2
        assertThat(part2).isDone();
        assertThat(f.render()).contains("URI=\"1.2.m4s\"");
        f.segment(); // 1.3-1.5, segment 1
        assertThat(segment1).isDone();
        assertThat(pastTheEnd).as("part 6 of segment 1 does not exist: the next one (2.0) answers it").isNotDone();
        f.part(); // 2.0
        assertThat(pastTheEnd).isDone();
        assertThat(f.r.waiting()).isZero();
        // A waiter that timed out is dropped, not completed later.
        CompletableFuture<Void> late = f.r.await(new ReloadRequest(2, 3, false)).orTimeout(10, TimeUnit.MILLISECONDS);
        assertThat(late).failsWithin(java.time.Duration.ofSeconds(5));
        f.part();
        assertThat(f.r.waiting()).isZero();
    }

    @Test
    void aRequestMoreThanTwoSegmentsAheadIsRefused() {
        Feed f = new Feed();
        f.segment();
        f.segment(); // newest complete segment: 1
        assertThat(f.r.await(new ReloadRequest(3, 0, false))).isNotDone(); // two ahead: held
        assertThatThrownBy(() -> f.r.await(new ReloadRequest(4, 0, false))).isInstanceOf(ReloadRequest.Invalid.class)
                .hasMessageContaining("more than two segments ahead");
    }

    @Test
    void aDeltaUpdateSkipsSegmentsOlderThanTheSkipBoundary() {
        Feed f = new Feed();
        for (int i = 0; i < 12; i++) f.segment(); // window of 8: segments 4-11, 16 s
        f.part();
        String full = f.r.render(false, List.of());
        String delta = f.r.render(true, List.of());
        assertThat(full).contains("#EXT-X-MEDIA-SEQUENCE:4\n").doesNotContain("#EXT-X-SKIP").contains("\n4.m4s\n");
        // 12 s boundary: segments 4 and 5 end 12 s or more before the last one ends.
        assertThat(delta).contains("#EXT-X-VERSION:9\n").contains("#EXT-X-MEDIA-SEQUENCE:4\n").contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n");
        assertThat(delta).doesNotContain("\n4.m4s\n").doesNotContain("\n5.m4s\n").contains("\n6.m4s\n").contains("#EXT-X-MAP:URI=\"init-0.mp4\"");
        List<String> uris = new ArrayList<>(Pattern.compile("\n(\\d+)\\.m4s\n").matcher(delta).results().map(m -> m.group(1)).toList());
        assertThat(uris).containsExactly("6", "7", "8", "9", "10", "11");
        assertThat(delta.substring(delta.indexOf("#EXT-X-PART-INF"))).isEqualTo(full.substring(full.indexOf("#EXT-X-PART-INF"))
                .replaceFirst("(?s)#EXT-X-INDEPENDENT-SEGMENTS\n.*?(#EXT-X-PROGRAM-DATE-TIME[^\n]*\n#EXTINF:2.000,\n6.m4s)",
                        "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n#EXT-X-MAP:URI=\"init-0.mp4\"\n$1"));
    }

    @Test
    void aNewInitializationSegmentMarksADiscontinuityBeforeItsParts() {
        Feed f = new Feed();
        f.segment();
        f.r.onInit(); // a reconnected publisher
        f.part();
        String p = f.render();
        assertThat(p).contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n");
        assertThat(p.indexOf("#EXT-X-DISCONTINUITY")).isLessThan(p.indexOf("URI=\"1.0.m4s\""));
        f.segment();
        assertThat(f.render()).contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXT-X-PROGRAM-DATE-TIME");
    }

    @Test
    void aSegmentAbandonedByAFailingMuxerLeavesNoPartsAndADiscontinuity() {
        Feed f = new Feed();
        f.segment();
        f.part();
        f.r.onPartStart(f.t, false);
        Part open = f.r.part(1, 1).orElseThrow();
        f.r.onPartAbandoned();
        assertThat(open.bytes().complete()).as("readers of the abandoned part are not handed a cut-short part").isFalse();
        assertThat(f.r.part(1, 0)).isEmpty();
        f.r.onInit();
        f.partInSegment = 0;
        f.part();
        String p = f.render();
        assertThat(p).contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"").contains("URI=\"1.0.m4s\",INDEPENDENT=YES")
                .doesNotContain("1.1.m4s\",").contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"1.1.m4s\"");
    }

    @Test
    void theEndOfTheStreamAnswersEveryWaiterAndDropsTheHint() {
        Feed f = new Feed();
        f.segment();
        CompletableFuture<Void> w = f.r.await(new ReloadRequest(1, 3, false));
        f.r.end();
        assertThat(w).isDone();
        String p = f.render();
        assertThat(p).endsWith("#EXT-X-ENDLIST\n").doesNotContain("PRELOAD-HINT");
        assertThat(f.r.await(new ReloadRequest(9, 0, false))).as("an ended playlist answers at once").isDone();
    }

    @Test
    void malformedDirectivesAreRefusedWithAReason() {
        assertThat(ReloadRequest.parse("12", "3", "YES")).isEqualTo(new ReloadRequest(12, 3, true));
        assertThat(ReloadRequest.parse(null, null, null).blocking()).isFalse();
        assertThatThrownBy(() -> ReloadRequest.parse(null, "2", null)).hasMessageContaining("_HLS_part needs _HLS_msn");
        assertThatThrownBy(() -> ReloadRequest.parse("-1", null, null)).hasMessageContaining("_HLS_msn must be a non-negative integer");
        assertThatThrownBy(() -> ReloadRequest.parse("1", "x", null)).hasMessageContaining("_HLS_part must be");
        assertThatThrownBy(() -> ReloadRequest.parse("1", null, "NO")).hasMessageContaining("_HLS_skip must be YES or v2");
    }

    @Test
    void aPartIsReadAsItIsWritten() throws Exception {
        PartBytes bytes = new PartBytes();
        bytes.append(new byte[]{1, 2});
        CompletableFuture<byte[]> firstFour = new CompletableFuture<>();
        CompletableFuture<Integer> total = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = bytes.stream()) {
                firstFour.complete(in.readNBytes(4));
                total.complete(4 + in.readAllBytes().length);
            } catch (Exception e) {
                firstFour.completeExceptionally(e);
                total.completeExceptionally(e);
            }
        });
        Thread.sleep(50);
        assertThat(firstFour).as("waits for bytes not written yet").isNotDone();
        bytes.append(new byte[]{3, 4});
        assertThat(firstFour.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3, 4);
        assertThat(total).as("the part is not complete: the reader keeps waiting").isNotDone();
        bytes.append(new byte[]{5});
        bytes.finish();
        assertThat(total.get(5, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(bytes.bytes()).containsExactly(1, 2, 3, 4, 5);
    }
}
