package live.cascade.api.moderation;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Puts chat text into the form the filters compare, so trivial disguises compare equal to what they hide:
 * compatibility forms (full-width letters, ligatures, circled and styled letters: NFKC), case (full case folding as
 * far as the JDK offers it), accents and other combining marks, invisible format characters (zero-width spaces and
 * joiners, soft hyphens, direction marks), and a short table of letters from other scripts that look like Latin ones.
 *
 * <p>{@link #fold} keeps every character class and is what moderators' patterns and the link check see.
 * {@link #skeleton} is for word matching: digits read as the letters they stand in for ("b4d"), and everything else
 * that is not a letter becomes a single space. Symbols are ambiguous ("$hit" hides a word, "bad!" ends one), so
 * {@link #skeletonWithSymbols} also reads {@code $ @ ! | +} as letters, and word matching tries both.
 */
public final class TextNormalizer {
    private TextNormalizer() {
    }

    /** NFKC, case-folded, marks and format characters removed, look-alikes mapped. */
    public static String fold(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // Upper- then lower-casing folds what lower-casing alone misses (ß -> ss, final sigma).
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        s = Normalizer.normalize(s, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
                continue;
            }
            out.appendCodePoint(lookAlike(cp));
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /** {@link #fold}, digits read as letters, every run of other non-letters made one space. */
    public static String skeleton(String text) {
        return skeleton(text, false);
    }

    /** Like {@link #skeleton(String)} but symbols that stand in for letters ({@code $ @ ! | +}) are read as them. */
    public static String skeletonWithSymbols(String text) {
        return skeleton(text, true);
    }

    private static String skeleton(String text, boolean symbols) {
        String f = fold(text);
        StringBuilder out = new StringBuilder(f.length());
        boolean space = true;
        for (int i = 0; i < f.length(); ) {
            int cp = f.codePointAt(i);
            i += Character.charCount(cp);
            int mapped = symbols ? symbol(digit(cp)) : digit(cp);
            if (Character.isLetterOrDigit(mapped)) {
                out.appendCodePoint(mapped);
                space = false;
            } else if (!space) {
                out.append(' ');
                space = true;
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') out.setLength(end - 1);
        return out.toString();
    }

    /** Cyrillic and Greek letters that render like Latin ones, and dots that render like '.'. */
    private static int lookAlike(int cp) {
        return switch (cp) {
            case 'а' -> 'a'; case 'в' -> 'b'; case 'е', 'ё', 'є' -> 'e'; case 'к' -> 'k'; case 'м' -> 'm';
            case 'н' -> 'h'; case 'о' -> 'o'; case 'р' -> 'p'; case 'с' -> 'c'; case 'т' -> 't'; case 'у' -> 'y';
            case 'х' -> 'x'; case 'і', 'ї' -> 'i'; case 'ј' -> 'j'; case 'ѕ' -> 's'; case 'ԁ' -> 'd'; case 'ԛ' -> 'q';
            case 'ԝ' -> 'w'; case 'һ' -> 'h'; case 'ɡ' -> 'g';
            case 'α' -> 'a'; case 'β' -> 'b'; case 'ε' -> 'e'; case 'η' -> 'n'; case 'ι' -> 'i'; case 'κ' -> 'k';
            case 'ν' -> 'v'; case 'ο' -> 'o'; case 'ρ' -> 'p'; case 'τ' -> 't'; case 'υ' -> 'u'; case 'χ' -> 'x';
            case 'ω' -> 'w';
            case '。', '｡', '․', '·', '•', '∙' -> '.';
            default -> cp;
        };
    }

    private static int digit(int cp) {
        return switch (cp) {
            case '0' -> 'o'; case '1' -> 'i'; case '3' -> 'e'; case '4' -> 'a'; case '5' -> 's'; case '7' -> 't';
            case '8' -> 'b'; case '9' -> 'g';
            default -> cp;
        };
    }

    private static int symbol(int cp) {
        return switch (cp) {
            case '!', '|' -> 'i'; case '@' -> 'a'; case '$' -> 's'; case '+' -> 't';
            default -> cp;
        };
    }
}
