package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import live.cascade.sfu.params.DtlsFingerprint;

/**
 * A whole SDP: {@code v=0} (implied), {@code o=}, {@code s=}, the other session lines in order ({@code t=}, {@code c=},
 * ...), the session attributes in order, and the m-sections.
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpLine> lines, List<Attribute> attributes,
                                 List<MediaSection> media) implements HasAttributes, HasMediaSections {
    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        if (Text.hasLineBreak(sessionName) || Text.endsWithBlank(sessionName)) {
            throw new IllegalArgumentException("session name contains a line break or ends in a blank");
        }
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
        AttributeRules.requireValidScope(attributes);
        AttributeRules.requireUniqueMids(media);
    }

    /** A value read from the section, or from the session level when the section does not say. */
    public <T> Optional<T> inherited(MediaSection section, Function<HasAttributes, Optional<T>> read) {
        Optional<T> own = read.apply(section);
        return own.isPresent() ? own : read.apply(this);
    }

    /** The section's direction: its own, else the session's, else sendrecv (RFC 8866 §6.7). */
    public Direction directionOf(MediaSection section) {
        return inherited(section, HasAttributes::direction).orElse(Direction.SENDRECV);
    }

    public Optional<String> iceUfragOf(MediaSection section) {
        return inherited(section, HasAttributes::iceUfrag);
    }

    public Optional<String> icePwdOf(MediaSection section) {
        return inherited(section, HasAttributes::icePwd);
    }

    public Optional<Setup> setupOf(MediaSection section) {
        return inherited(section, HasAttributes::setup);
    }

    public List<DtlsFingerprint> fingerprintsOf(MediaSection section) {
        List<DtlsFingerprint> own = section.fingerprints();
        return own.isEmpty() ? fingerprints() : own;
    }

    public static Builder builder(Origin origin, String sessionName) {
        return new Builder(origin, sessionName);
    }

    /** Collects the parts of a description in order; build() validates them. */
    public static final class Builder {
        private final Origin origin;
        private final String sessionName;
        private final List<SdpLine> lines = new ArrayList<>();
        private final List<Attribute> attributes = new ArrayList<>();
        private final List<MediaSection> media = new ArrayList<>();

        private Builder(Origin origin, String sessionName) {
            this.origin = origin;
            this.sessionName = sessionName;
        }

        public Builder line(char type, String value) { lines.add(new SdpLine(type, value)); return this; }
        public Builder attribute(Attribute a) { attributes.add(a); return this; }
        public Builder attribute(String name, String value) { attributes.add(Attribute.of(name, value)); return this; }
        public Builder flag(String name) { attributes.add(Attribute.flag(name)); return this; }
        public Builder media(MediaSection m) { media.add(m); return this; }

        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, lines, attributes, media);
        }
    }
}
