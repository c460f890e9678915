package live.cascade.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordingRepositoryTest extends RepositoryTestBase {

    private NewRecording recording(long channelId, Long session, String path) {
        return new NewRecording(channelId, session, null, "Broadcast", Recording.READY, null, "mp4", "h264", "opus", 1280, 720,
                61_500, 12_345_678, path, "recordings/1/a/thumbnail.jpg", null, now(), 1);
    }

    @Test
    void aRecordingKeepsHowManyPartsItIsIn() {
        Channel c = channel(anyUser(), "rec");
        Recording one = db.recordings().create(recording(c.id(), null, "recordings/1/a/recording.mp4"));
        NewRecording n = recording(c.id(), null, "recordings/1/b/recording.mp4");
        Recording three = db.recordings().create(new NewRecording(n.channelId(), null, null, n.title(), Recording.READY, null, "mp4",
                "h264", "opus", 1280, 720, 90_000, 3_000, n.mediaPath(), null, null, now(), 3));
        assertThat(db.recordings().findById(one.id()).orElseThrow().parts()).isEqualTo(1);
        assertThat(db.recordings().findById(three.id()).orElseThrow().parts()).isEqualTo(3);
        assertThatThrownBy(() -> new NewRecording(c.id(), null, null, "t", Recording.READY, null, "mp4", null, null, 0, 0, 0, 0,
                "p", null, null, now(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsADraftAndPublishesIt() {
        Channel c = channel(anyUser(), "rec");
        StreamSession s = db.streamSessions().start(c.id(), now());
        Recording r = db.recordings().create(recording(c.id(), s.id(), "recordings/1/a/recording.mp4"));
        assertThat(r.published()).isFalse();
        assertThat(r.takenDown()).isFalse();
        assertThat(r.clip()).isFalse();
        assertThat(r.durationMillis()).isEqualTo(61_500);
        assertThat(r.streamSessionId()).isEqualTo(s.id());
        assertThat(db.recordings().findById(r.id())).contains(r);

        Instant at = now();
        Recording p = db.recordings().publish(r.id(), at).orElseThrow();
        assertThat(p.publishedAt()).isEqualTo(at);
        assertThat(db.recordings().publish(r.id(), at.plusSeconds(5)).orElseThrow().publishedAt()).as("first publication kept").isEqualTo(at);
        assertThat(db.recordings().publish(9999, at)).isEmpty();
    }

    @Test
    void listingsShowWhatEachAudienceMaySee() {
        User admin = anyUser();
        Channel c = channel(anyUser(), "rec");
        Recording draft = db.recordings().create(recording(c.id(), null, "a"));
        Recording pub = db.recordings().create(recording(c.id(), null, "b"));
        db.recordings().publish(pub.id(), now());
        Recording down = db.recordings().create(recording(c.id(), null, "c"));
        db.recordings().publish(down.id(), now());
        db.recordings().takeDown(down.id(), admin.id(), "copyright", now());
        Recording clip = db.recordings().create(new NewRecording(c.id(), null, pub.id(), "Clip", Recording.READY, null, "mp4",
                "h264", "opus", 1280, 720, 3000, 1000, "d", null, 12_000L, now(), 1));

        assertThat(db.recordings().listForChannel(c.id(), RecordingRepository.Visibility.PUBLISHED, false, 10, null))
                .extracting(Recording::id).containsExactly(pub.id());
        assertThat(db.recordings().listForChannel(c.id(), RecordingRepository.Visibility.OWNER, false, 10, null))
                .extracting(Recording::id).containsExactly(pub.id(), draft.id());
        assertThat(db.recordings().listForChannel(c.id(), RecordingRepository.Visibility.ALL, true, 10, null))
                .extracting(Recording::id).containsExactly(clip.id(), down.id(), pub.id(), draft.id());
        assertThat(db.recordings().listForChannel(c.id(), RecordingRepository.Visibility.ALL, false, 2, down.id()))
                .extracting(Recording::id).containsExactly(pub.id(), draft.id());
        assertThat(db.recordings().listClips(pub.id(), RecordingRepository.Visibility.OWNER, 10, null))
                .extracting(Recording::id).containsExactly(clip.id());
        assertThat(db.recordings().listClips(pub.id(), RecordingRepository.Visibility.PUBLISHED, 10, null)).isEmpty();

        Recording taken = db.recordings().findById(down.id()).orElseThrow();
        assertThat(taken.takenDown()).isTrue();
        assertThat(taken.takenDownBy()).isEqualTo(admin.id());
        assertThat(taken.takedownReason()).isEqualTo("copyright");
        assertThat(db.recordings().restore(down.id()).orElseThrow().takenDown()).isFalse();
    }

    @Test
    void expiredFindsDraftsAndPublishedByTheirOwnCutoffs() {
        Channel c = channel(anyUser(), "rec");
        Recording draft = db.recordings().create(recording(c.id(), null, "a"));
        Recording pub = db.recordings().create(recording(c.id(), null, "b"));
        Instant published = now();
        db.recordings().publish(pub.id(), published);
        Instant later = now().plusSeconds(60);

        assertThat(db.recordings().expired(later, null, 10)).extracting(Recording::id).containsExactly(draft.id());
        assertThat(db.recordings().expired(null, later, 10)).extracting(Recording::id).containsExactly(pub.id());
        assertThat(db.recordings().expired(later, later, 10)).extracting(Recording::id).containsExactly(draft.id(), pub.id());
        assertThat(db.recordings().expired(null, null, 10)).isEmpty();
        assertThat(db.recordings().expired(draft.createdAt().minusSeconds(1), null, 10)).isEmpty();
    }

    @Test
    void deletingKeepsClipsAndChannelDeletionCascades() {
        Channel c = channel(anyUser(), "rec");
        Recording parent = db.recordings().create(recording(c.id(), null, "a"));
        Recording clip = db.recordings().create(new NewRecording(c.id(), null, parent.id(), "Clip", Recording.READY, null, "mp4",
                null, "opus", 0, 0, 3000, 10, "b", null, 0L, now(), 1));
        assertThat(db.recordings().mediaPathKnown("a")).isTrue();
        assertThat(db.recordings().delete(parent.id())).isTrue();
        assertThat(db.recordings().delete(parent.id())).isFalse();
        Recording orphan = db.recordings().findById(clip.id()).orElseThrow();
        assertThat(orphan.parentId()).isNull();
        assertThat(orphan.clip()).isTrue();
        assertThat(db.recordings().mediaPathKnown("a")).isFalse();
        db.channels().delete(c.id());
        assertThat(db.recordings().findById(clip.id())).isEmpty();
    }

    @Test
    void aMissingChannelIsAReferenceError() {
        assertThatThrownBy(() -> db.recordings().create(recording(4242, null, "x")))
                .isInstanceOfSatisfying(ReferenceNotFoundException.class, e -> assertThat(e.field()).isEqualTo("channelId"));
        List<Recording> none = db.recordings().listForChannel(4242, RecordingRepository.Visibility.ALL, true, 5, null);
        assertThat(none).isEmpty();
    }

    @Test
    void aRowMovedToObjectStorageKeepsItsKeysAndLeavesTheListOfLocalOnes() {
        Channel c = channel(anyUser(), "rec");
        Recording a = db.recordings().create(recording(c.id(), null, "recordings/1/s3a/recording.mp4"));
        Recording b = db.recordings().create(recording(c.id(), null, "recordings/1/s3b/recording.mp4"));
        assertThat(a.stored()).isFalse();
        assertThat(a.storageKey()).isNull();
        assertThat(db.recordings().local(0, 100)).extracting(Recording::id).contains(a.id(), b.id());
        assertThat(db.recordings().local(a.id(), 100)).extracting(Recording::id).doesNotContain(a.id()).contains(b.id());

        assertThat(db.recordings().markStored(a.id(), "p/recordings/1/s3a/recording.mp4", "p/thumbnails/1/s3a.jpg")).isTrue();
        Recording stored = db.recordings().findById(a.id()).orElseThrow();
        assertThat(stored.stored()).isTrue();
        assertThat(stored.storageKey()).isEqualTo("p/recordings/1/s3a/recording.mp4");
        assertThat(stored.thumbnailKey()).isEqualTo("p/thumbnails/1/s3a.jpg");
        assertThat(stored.mediaPath()).as("the local path stays, for the key layout and stray sweeps").isEqualTo(a.mediaPath());
        assertThat(db.recordings().local(0, 100)).extracting(Recording::id).doesNotContain(a.id()).contains(b.id());

        assertThat(db.recordings().delete(b.id())).isTrue();
        assertThat(db.recordings().markStored(b.id(), "k", null)).as("a row deleted meanwhile").isFalse();
    }
}
