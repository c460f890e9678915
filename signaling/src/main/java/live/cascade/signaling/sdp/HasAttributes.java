package live.cascade.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import live.cascade.sfu.params.DtlsFingerprint;

/**
 * Typed reads over an ordered attribute list, for the attributes that may appear at session level, in an m-section,
 * or in an sdpfrag. The list itself is the source of truth; these only interpret it.
 */
public interface HasAttributes {
    /** All {@code a=} lines of this scope, in order. */
    List<Attribute> attributes();

    /** Value of the first attribute with this name ({@code ""} for a property attribute), if any. */
    default Optional<String> attribute(String name) {
        for (Attribute a : attributes()) if (a.name().equals(name)) return Optional.of(a.valueOrEmpty());
        return Optional.empty();
    }

    /** Values of every attribute with this name, in order. */
    default List<String> attributeValues(String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes()) if (a.name().equals(name)) out.add(a.valueOrEmpty());
        return List.copyOf(out);
    }

    default boolean hasAttribute(String name) {
        for (Attribute a : attributes()) if (a.name().equals(name)) return true;
        return false;
    }

    default Optional<String> iceUfrag() {
        return attribute("ice-ufrag").map(String::strip);
    }

    default Optional<String> icePwd() {
        return attribute("ice-pwd").map(String::strip);
    }

    /** Every option of every {@code a=ice-options} line, e.g. {@code trickle}, {@code ice2}. */
    default List<String> iceOptions() {
        List<String> out = new ArrayList<>();
        for (String v : attributeValues("ice-options")) out.addAll(Text.tokens(v));
        return List.copyOf(out);
    }

    default boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    default List<IceCandidate> candidates() {
        return Typed.all(attributes(), "candidate", IceCandidate::parse);
    }

    default boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    default List<DtlsFingerprint> fingerprints() {
        return Typed.all(attributes(), "fingerprint", AttributeRules::fingerprint);
    }

    default Optional<Setup> setup() {
        return Typed.first(attributes(), "setup", Setup::parse);
    }

    /** The direction written in this scope, if one is. */
    default Optional<Direction> direction() {
        for (Attribute a : attributes()) {
            Optional<Direction> d = Direction.fromAttributeName(a.name());
            if (d.isPresent()) return d;
        }
        return Optional.empty();
    }

    default List<ExtMap> extMaps() {
        return Typed.all(attributes(), "extmap", ExtMap::parse);
    }

    default boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    default Optional<String> mid() {
        return attribute("mid").map(String::strip);
    }

    default List<Group> groups() {
        return Typed.all(attributes(), "group", Group::parse);
    }

    /** The first {@code a=group:BUNDLE}; JSEP endpoints write at most one. */
    default Optional<Group> bundleGroup() {
        return groups().stream().filter(Group::isBundle).findFirst();
    }
}
