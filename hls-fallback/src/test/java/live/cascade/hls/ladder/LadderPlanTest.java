package live.cascade.hls.ladder;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderPlanTest {
    private static final List<Rung> DEFAULT = Rung.parseLadder("source,720p,480p,360p");

    private static List<String> names(List<Rendition> rs) {
        return rs.stream().map(r -> r.name() + (r.passthrough() ? "=" : ":") + r.width() + "x" + r.height()).toList();
    }

    @Test
    void h264720pIsPassedThroughWithLowerRungsEncoded() {
        assertThat(names(LadderPlan.plan(DEFAULT, true, 1280, 720))).containsExactly("source=1280x720", "480p:854x480", "360p:640x360");
    }

    @Test
    void h2641080pGetsEveryRung() {
        assertThat(names(LadderPlan.plan(DEFAULT, true, 1920, 1080)))
                .containsExactly("source=1920x1080", "720p:1280x720", "480p:854x480", "360p:640x360");
    }

    @Test
    void vp8IsReEncodedIncludingTheSourceSizeNeverAbove() {
        assertThat(names(LadderPlan.plan(DEFAULT, false, 640, 480))).containsExactly("source:640x480", "360p:480x360");
        assertThat(names(LadderPlan.plan(DEFAULT, false, 640, 360))).containsExactly("source:640x360");
    }

    @Test
    void anH264SourceThatIsToBeEncodedGetsTheSourceRungAtItsOwnSizeLikeVp8() {
        assertThat(names(LadderPlan.plan(DEFAULT, false, 1280, 720))).containsExactly("source:1280x720", "480p:854x480", "360p:640x360");
        assertThat(names(LadderPlan.plan(DEFAULT, false, 640, 360))).as("360p is the source's size: once").containsExactly("source:640x360");
    }

    @Test
    void aTinySourceStillGetsOneRendition() {
        assertThat(names(LadderPlan.plan(Rung.parseLadder("720p,480p"), false, 320, 240))).containsExactly("240p:320x240");
        assertThat(names(LadderPlan.plan(Rung.parseLadder("720p"), true, 1920, 1080))).containsExactly("720p:1280x720");
    }

    @Test
    void parsesAndRejectsLadders() {
        assertThat(Rung.parseLadder(" Source , 480p,480p")).containsExactly(Rung.SOURCE, new Rung("480p", 480));
        assertThatThrownBy(() -> Rung.parseLadder("720")).hasMessageContaining("'720'");
        assertThatThrownBy(() -> Rung.parseLadder("99999p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rung.parseLadder(" , ")).hasMessageContaining("empty");
    }
}
