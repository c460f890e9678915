package live.cascade.api.moderation;

import live.cascade.db.ChatSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A channel's blocked words, blocked patterns and link rule, compiled once per version of its settings.
 *
 * <p>Words are compared on {@link TextNormalizer#skeleton skeletons} as whole words: "bad" blocks "BAD", "b a d",
 * "b.a.d", "baaad", "b4d" and "ｂａｄ" but not "badminton". A phrase matches the same words in a row.
 * Patterns are Java regular expressions matched against {@link TextNormalizer#fold folded} text; a pattern that takes
 * too long on a message (catastrophic backtracking) counts as a match, because a moderator's broken pattern must
 * not let through what it was meant to stop, and the time a message can cost is bounded.
 */
public final class MessageFilter {
    /** Characters a pattern may read per message before it counts as matching; linear patterns use a few thousand. */
    static final int PATTERN_BUDGET = 200_000;

    /** Well-known top-level domains; "word.word" alone is too common in chat to count as a link. */
    private static final String TLDS = "com|net|org|io|co|gg|tv|me|ly|xyz|info|biz|app|dev|live|stream|link|site|online"
            + "|club|shop|top|click|tk|ml|ga|cf|gq|ru|de|uk|us|fr|nl|jp|cn|br|in|it|es|pl|ca|au|eu|be|ch|at|se|no|dk|fi"
            + "|cz|sk|hu|ro|tr|ua|kr|tw|hk|sg|nz|za|mx|ar|cl|ir|gov|edu|ws|cc|to|sh|gl|is|im|fm|am|ai|so|lol|fun|pro";
    private static final Pattern LINK = Pattern.compile(
            "[a-z][a-z0-9+.-]*://\\S|\\bwww\\.[\\p{L}\\p{N}-]|(?<![\\p{L}\\p{N}-])[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:"
                    + TLDS + ")(?![\\p{L}\\p{N}])");
    /** "example[.]com", "example (dot) com": the usual ways of writing a dot so a link filter misses it. */
    private static final Pattern DISGUISED_DOT = Pattern.compile("\\s*[\\[({]\\s*(?:\\.|dot)\\s*[\\])}]\\s*|\\s+dot\\s+(?=(?:" + TLDS + ")\\b)");

    /** All blocked words as one alternation, so a message is scanned once per form rather than once per word. */
    private final Pattern words;
    private final List<Pattern> patterns;
    private final boolean blockLinks;

    private MessageFilter(Pattern words, List<Pattern> patterns, boolean blockLinks) {
        this.words = words;
        this.patterns = patterns;
        this.blockLinks = blockLinks;
    }

    /** Why a message is refused. */
    public enum Verdict { BLOCKED_WORD, BLOCKED_PATTERN, LINK }

    /** @throws IllegalArgumentException naming the first pattern that does not compile */
    public static MessageFilter of(ChatSettings settings) {
        List<String> words = new ArrayList<>();
        for (String w : settings.blockedWords()) {
            wordPattern(w).ifPresent(p -> words.add(p.pattern()));
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String p : settings.blockedPatterns()) {
            patterns.add(compilePattern(p));
        }
        Pattern all = words.isEmpty() ? null : Pattern.compile("(?:" + String.join("|", words) + ")");
        return new MessageFilter(all, List.copyOf(patterns), settings.blockLinks());
    }

    /** @throws IllegalArgumentException with the compiler's complaint if {@code pattern} is not a valid regex */
    public static Pattern compilePattern(String pattern) {
        try {
            return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** The first rule {@code text} breaks, if any. */
    public Optional<Verdict> check(String text) {
        if (words == null && patterns.isEmpty() && !blockLinks) return Optional.empty();
        String folded = TextNormalizer.fold(text);
        if (words != null) {
            for (String form : List.of(TextNormalizer.skeleton(text), TextNormalizer.skeletonWithSymbols(text))) {
                if (words.matcher(form).find() || words.matcher(squeezeSingleLetters(form)).find()) {
                    return Optional.of(Verdict.BLOCKED_WORD);
                }
            }
        }
        for (Pattern p : patterns) {
            if (matchesWithinBudget(p, folded)) return Optional.of(Verdict.BLOCKED_PATTERN);
        }
        if (blockLinks && containsLink(folded)) return Optional.of(Verdict.LINK);
        return Optional.empty();
    }

    static boolean containsLink(String folded) {
        if (LINK.matcher(folded).find()) return true;
        String undisguised = DISGUISED_DOT.matcher(folded).replaceAll(".");
        return !undisguised.equals(folded) && LINK.matcher(undisguised).find();
    }

    /**
     * A whole-word pattern over skeletons. Each run of one letter becomes "that letter, at least as often" with a
     * possessive quantifier, so "bad" also catches "baaad" and no input can make the match backtrack.
     */
    static Optional<Pattern> wordPattern(String term) {
        String skeleton = TextNormalizer.skeleton(term);
        if (skeleton.isEmpty()) return Optional.empty();
        StringBuilder re = new StringBuilder("(?<![\\p{L}\\p{N}])");
        int[] cps = skeleton.codePoints().toArray();
        for (int i = 0; i < cps.length; ) {
            int cp = cps[i];
            int run = 1;
            while (i + run < cps.length && cps[i + run] == cp) run++;
            if (cp == ' ') {
                re.append(' ');
            } else {
                re.append(Pattern.quote(new String(Character.toChars(cp)))).append('{').append(run).append(",}+");
            }
            i += run;
        }
        re.append("(?![\\p{L}\\p{N}])");
        return Optional.of(Pattern.compile(re.toString()));
    }

    /** "b a d guy" -> "bad guy": letters typed one by one with separators join into the word they spell. */
    static String squeezeSingleLetters(String skeleton) {
        String[] tokens = skeleton.split(" ");
        StringBuilder out = new StringBuilder(skeleton.length());
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean single = t.codePointCount(0, t.length()) == 1;
            boolean prevSingle = i > 0 && tokens[i - 1].codePointCount(0, tokens[i - 1].length()) == 1;
            if (i > 0 && !(single && prevSingle)) out.append(' ');
            out.append(t);
        }
        return out.toString();
    }

    static boolean matchesWithinBudget(Pattern p, String text) {
        try {
            return p.matcher(new BudgetedText(text, PATTERN_BUDGET)).find();
        } catch (BudgetedText.Exhausted e) {
            return true;
        }
    }

    /** A CharSequence that stops a regex once it has read too many characters. */
    private static final class BudgetedText implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("pattern budget exhausted", null, false, false);
            }
        }

        private final String text;
        private final int[] budget;
        private final int offset;
        private final int length;

        BudgetedText(String text, int budget) {
            this(text, new int[]{budget}, 0, text.length());
        }

        private BudgetedText(String text, int[] budget, int offset, int length) {
            this.text = text;
            this.budget = budget;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) throw new Exhausted();
            return text.charAt(offset + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedText(text, budget, offset + start, end - start);
        }

        @Override
        public String toString() {
            return text.substring(offset, offset + length);
        }
    }
}
