package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class ChannelEpochRepositoryTest extends RepositoryTestBase {

    @Test
    void epochsStartAtOneAndOnlyGrowPerChannel() {
        User owner = anyUser();
        Channel a = channel(owner, "epoch-a");
        Channel b = channel(owner, "epoch-b");
        assertThat(db.channelEpochs().current(a.id())).isZero();
        assertThat(db.channelEpochs().next(a.id())).isEqualTo(1);
        assertThat(db.channelEpochs().next(a.id())).isEqualTo(2);
        assertThat(db.channelEpochs().next(b.id())).isEqualTo(1);
        assertThat(db.channelEpochs().current(a.id())).isEqualTo(2);
    }

    @Test
    void concurrentClaimsNeverShareAnEpoch() {
        Channel c = channel(anyUser(), "epoch-race");
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(CompletableFuture.runAsync(() -> {
                for (int j = 0; j < 5; j++) seen.add(db.channelEpochs().next(c.id()));
            }));
        }
        racers.forEach(CompletableFuture::join);
        assertThat(seen).hasSize(20);
        assertThat(db.channelEpochs().current(c.id())).isEqualTo(20);
    }
}
