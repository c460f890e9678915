package live.cascade.api.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageKeysTest {
    private final StorageKeys keys = new StorageKeys("cascade/");

    @Test
    void recordingsClipsAndThumbnailsGoUnderTheirOwnPrefix() {
        assertThat(keys.media("recordings/42/20261205T2100-ab12/recording.mp4", false))
                .isEqualTo("cascade/recordings/42/20261205T2100-ab12/recording.mp4");
        assertThat(keys.media("recordings/42/clip-20261205T2101-cd34/clip.webm", true))
                .isEqualTo("cascade/clips/42/clip-20261205T2101-cd34/clip.webm");
        assertThat(keys.thumbnail("recordings/42/20261205T2100-ab12/recording.mp4"))
                .isEqualTo("cascade/thumbnails/42/20261205T2100-ab12.jpg");
    }

    @Test
    void aLiveChannelsStillHasOneKeyThatEachRefreshReplaces() {
        assertThat(keys.liveThumbnail("my-channel")).isEqualTo("cascade/thumbnails/live/my-channel.jpg");
        assertThatThrownBy(() -> keys.liveThumbnail("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyPrefixPutsTheKindsAtTheTopOfTheBucket() {
        StorageKeys bare = new StorageKeys("");
        assertThat(bare.media("recordings/7/r/recording.mp4", false)).isEqualTo("recordings/7/r/recording.mp4");
        assertThat(bare.thumbnail("recordings/7/r/recording.mp4")).isEqualTo("thumbnails/7/r.jpg");
    }

    @Test
    void laterPartsAndThePlaylistLieBesideTheFirstPart() {
        String first = keys.media("recordings/42/r1/recording.mp4", false);
        assertThat(StorageKeys.part(first, 1)).isEqualTo(first);
        assertThat(StorageKeys.part(first, 2)).isEqualTo("cascade/recordings/42/r1/recording-2.mp4");
        assertThat(StorageKeys.part(first, 12)).isEqualTo("cascade/recordings/42/r1/recording-12.mp4");
        assertThat(StorageKeys.playlist(first)).isEqualTo("cascade/recordings/42/r1/index.m3u8");
    }

    @Test
    void aPathThatDidNotComeFromTheRecordingsDirectoryIsRefused() {
        assertThatThrownBy(() -> keys.media("../etc/passwd", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.media("recordings/x/r/recording.mp4", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.media("recordings/1/../recording.mp4", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.thumbnail(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageKeys("/abs/")).isInstanceOf(IllegalArgumentException.class);
    }
}
