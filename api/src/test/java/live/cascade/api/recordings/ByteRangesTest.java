package live.cascade.api.recordings;

import live.cascade.api.recordings.ByteRanges.Span;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {
    static final long SIZE = 100_000;

    @Test
    void ordinaryRangesAreServedExactly() {
        assertThat(ByteRanges.parse("bytes=1000-1999", SIZE)).isEqualTo(new Span.Part(1000, 1999));
        assertThat(ByteRanges.parse("bytes=99000-", SIZE)).isEqualTo(new Span.Part(99_000, 99_999));
        assertThat(ByteRanges.parse("bytes=-500", SIZE)).isEqualTo(new Span.Part(99_500, 99_999));
        assertThat(ByteRanges.parse("bytes=0-999999", SIZE)).as("a last position past the end stops at the end")
                .isEqualTo(new Span.Part(0, 99_999));
    }

    @Test
    void positionsTooLongForALongAreBeyondTheEndNotAnError() {
        String twenty = "99999999999999999999";
        assertThat(ByteRanges.parse("bytes=" + twenty + "-", SIZE)).isEqualTo(new Span.Unsatisfiable());
        assertThat(ByteRanges.parse("bytes=" + twenty + "-" + twenty, SIZE)).isEqualTo(new Span.Unsatisfiable());
        assertThat(ByteRanges.parse("bytes=10-" + twenty, SIZE)).isEqualTo(new Span.Part(10, 99_999));
        assertThat(ByteRanges.parse("bytes=-" + twenty, SIZE)).as("a suffix longer than the file is all of it")
                .isEqualTo(new Span.Part(0, 99_999));
        assertThat(ByteRanges.parse("bytes=9223372036854775808-", SIZE)).as("Long.MAX_VALUE + 1").isEqualTo(new Span.Unsatisfiable());
        assertThat(ByteRanges.parse("bytes=0000000000000000000000042-0000000000000000000000043", SIZE))
                .as("leading zeros do not make a position large").isEqualTo(new Span.Part(42, 43));
    }

    @Test
    void unusableHeadersGetTheWholeFileAndRangesPastTheEnd416() {
        assertThat(ByteRanges.parse(null, SIZE)).isEqualTo(new Span.Whole());
        assertThat(ByteRanges.parse("bytes=-", SIZE)).isEqualTo(new Span.Whole());
        assertThat(ByteRanges.parse("bytes=1-2,5-6", SIZE)).isEqualTo(new Span.Whole());
        assertThat(ByteRanges.parse("items=1-2", SIZE)).isEqualTo(new Span.Whole());
        assertThat(ByteRanges.parse("bytes=100000-", SIZE)).isEqualTo(new Span.Unsatisfiable());
        assertThat(ByteRanges.parse("bytes=20-10", SIZE)).isEqualTo(new Span.Unsatisfiable());
        assertThat(ByteRanges.parse("bytes=0-", 0)).as("an empty file has no first byte").isEqualTo(new Span.Unsatisfiable());
    }
}
