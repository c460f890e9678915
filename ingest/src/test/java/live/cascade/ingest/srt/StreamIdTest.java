package live.cascade.ingest.srt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamIdTest {
    @Test
    void plainKeysAndPaths() {
        assertThat(StreamId.parse("live_abc")).isEqualTo(new StreamId("live_abc", true));
        assertThat(StreamId.parse("live/live_abc")).isEqualTo(new StreamId("live_abc", true));
        assertThat(StreamId.parse(" live_abc?x=1 ")).isEqualTo(new StreamId("live_abc", true));
    }

    @Test
    void accessControlSyntax() {
        assertThat(StreamId.parse("#!::r=live/live_abc,m=publish")).isEqualTo(new StreamId("live_abc", true));
        assertThat(StreamId.parse("#!::m=publish,r=live_abc")).isEqualTo(new StreamId("live_abc", true));
        assertThat(StreamId.parse("#!::r=live,u=live_abc,m=publish")).isEqualTo(new StreamId("live_abc", true));
        assertThat(StreamId.parse("#!::r=live/live_abc,m=request").publish()).isFalse();
    }

    @Test
    void nothingUsableGivesAnEmptyKey() {
        assertThat(StreamId.parse(null).key()).isEmpty();
        assertThat(StreamId.parse("").key()).isEmpty();
        assertThat(StreamId.parse("#!::").key()).isEmpty();
        assertThat(StreamId.parse("#!::=,,r").key()).isEmpty();
    }
}
