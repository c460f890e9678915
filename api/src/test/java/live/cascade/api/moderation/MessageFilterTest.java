package live.cascade.api.moderation;

import live.cascade.db.ChatSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageFilterTest {

    private static MessageFilter filter(List<String> words, List<String> patterns, boolean links) {
        return MessageFilter.of(new ChatSettings(0, false, links, 500, words, patterns));
    }

    @Test
    void foldingUndoesWidthCaseAccentsInvisiblesAndLookAlikes() {
        assertThat(TextNormalizer.fold("ＢＡＤ")).isEqualTo("bad");
        assertThat(TextNormalizer.fold("Straße")).isEqualTo("strasse");
        assertThat(TextNormalizer.fold("b\u200Ba\u00ADd")).isEqualTo("bad");
        assertThat(TextNormalizer.fold("bäd")).isEqualTo("bad");
        assertThat(TextNormalizer.fold("ⓑⓐⓓ")).isEqualTo("bad");
        assertThat(TextNormalizer.fold("𝐛𝐚𝐝")).isEqualTo("bad");
        // Cyrillic а and о that render as Latin a and o.
        assertThat(TextNormalizer.fold("bаd wоrd")).isEqualTo("bad word");
        assertThat(TextNormalizer.skeleton("B.A.D!!  w0rd")).isEqualTo("b a d word");
        assertThat(TextNormalizer.skeletonWithSymbols("$h!t @ home")).isEqualTo("shit a home");
    }

    @Test
    void blockedWordsCatchDisguisesButNotLongerWords() {
        MessageFilter f = filter(List.of("bad", "free money"), List.of(), false);
        Optional<MessageFilter.Verdict> blocked = Optional.of(MessageFilter.Verdict.BLOCKED_WORD);
        for (String s : List.of("bad", "so BAD!", "b a d", "b.a.d", "b-a-d guy", "baaaad", "b4d", "ｂａｄ", "b\u200Bad",
                "bаd", "BAD!!!", "@bad", "b@d", "Free   Money now", "free money", "fr3e m0ney")) {
            assertThat(f.check(s)).as(s).isEqualTo(blocked);
        }
        for (String s : List.of("badminton", "a good day", "abad", "money free", "free moneys")) {
            assertThat(f.check(s)).as(s).isEmpty();
        }
    }

    @Test
    void patternsMatchFoldedTextAndARunawayPatternCountsAsAMatch() {
        MessageFilter f = filter(List.of(), List.of("buy\\s+followers?"), false);
        assertThat(f.check("BUY   ＦＯＬＬＯＷＥＲＳ")).contains(MessageFilter.Verdict.BLOCKED_PATTERN);
        assertThat(f.check("i bought followers")).isEmpty();

        MessageFilter evil = filter(List.of(), List.of("(a+)+b"), false);
        long t0 = System.nanoTime();
        assertThat(evil.check("a".repeat(1000) + "c")).contains(MessageFilter.Verdict.BLOCKED_PATTERN);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms spent on a catastrophic pattern").isLessThan(2_000);
        assertThat(evil.check("hello")).isEmpty();
    }

    @Test
    void invalidPatternsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> MessageFilter.compilePattern("(unclosed"))
                .hasMessageContaining("(unclosed").hasMessageContaining("not a valid regular expression");
    }

    @Test
    void linksAreFoundInTheirUsualDisguises() {
        MessageFilter f = filter(List.of(), List.of(), true);
        for (String s : List.of("see https://example.org/x", "http://x.y", "www.example.org", "go to example.com now",
                "EXAMPLE.COM", "example[.]com", "example (dot) com", "example dot com", "ｅｘａｍｐｌｅ．ｃｏｍ",
                "example。com", "sub.domain.co.uk/path", "ftp://files")) {
            assertThat(f.check(s)).as(s).contains(MessageFilter.Verdict.LINK);
        }
        for (String s : List.of("a.b", "version 1.2.3", "e.g. this", "dot com bubble", "i like node.js", "end. Next")) {
            assertThat(f.check(s)).as(s).isEmpty();
        }
        assertThat(filter(List.of(), List.of(), false).check("https://example.org")).isEmpty();
    }
}
