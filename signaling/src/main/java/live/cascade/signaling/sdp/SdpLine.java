package live.cascade.signaling.sdp;

import java.util.Objects;

/**
 * A non-attribute line other than {@code v=}, {@code o=}, {@code s=} and {@code m=}: {@code t=}, {@code c=},
 * {@code b=}, {@code i=} and any type letter we do not interpret, kept so a description round-trips.
 *
 * @param type  the type letter, {@code a}-{@code z}, never {@code a}, {@code m}, {@code v}, {@code o} or {@code s}
 * @param value everything after the {@code =}, without trailing blanks
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        Objects.requireNonNull(value, "value");
        if (type < 'a' || type > 'z') throw new IllegalArgumentException("SDP line type must be a-z: " + type);
        if ("amvos".indexOf(type) >= 0) throw new IllegalArgumentException(type + "= lines have their own fields");
        if (Text.hasLineBreak(value)) throw new IllegalArgumentException("line value contains a line break");
        if (Text.endsWithBlank(value)) throw new IllegalArgumentException("line value ends in a blank");
    }

    public static SdpLine of(char type, String value) {
        return new SdpLine(type, value);
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
