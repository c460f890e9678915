package live.cascade.bench.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DistributionTest {
    @Test
    void histogramCountsEachValueInOrder() {
        assertThat(new Distribution(List.of(34L, 17L, 34L, 50L, 17L, 34L)).histogram()).isEqualTo("17:2 34:3 50:1");
    }

    @Test
    void emptyHistogramIsEmpty() {
        assertThat(new Distribution(List.of()).histogram()).isEmpty();
    }

    @Test
    void medianIsTheNearestRank() {
        assertThat(new Distribution(List.of(-5L, 3L, 8L, 1L)).percentile(50)).isEqualTo(1);
    }
}
