package live.cascade.api.chat;

import java.text.Normalizer;

/** Makes posted text storable and displayable: one line, no control characters or broken surrogates, NFC. */
final class ChatText {
    private ChatText() {
    }

    static String clean(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                    out.append(c).append(raw.charAt(++i));
                }
                continue; // an unpaired half is dropped
            }
            if (Character.isLowSurrogate(c)) continue;
            if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (!Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC).strip();
    }

    static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
