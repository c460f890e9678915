package live.cascade.signaling.trickle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import live.cascade.signaling.sdp.Attribute;
import live.cascade.signaling.sdp.IceCandidate;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SdpFragment;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SdpWriter;
import live.cascade.sfu.params.Candidate;
import live.cascade.sfu.params.IceParameters;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840) as WHIP/WHEP PATCH requests and ICE-restart responses
 * carry it: ICE credentials, options and candidates grouped by the m-section (mid) they belong to.
 *
 * @param iceUfrag        the fragment's {@code a=ice-ufrag}, at session level or in a section (they must agree)
 * @param icePwd          likewise {@code a=ice-pwd}
 * @param iceOptions      {@code a=ice-options} tokens
 * @param iceLite         {@code a=ice-lite} present (our restart responses repeat it, RFC 9725 §4.4.2)
 * @param endOfCandidates a session-level {@code a=end-of-candidates}, which ends gathering for every section
 * @param media           per m-section candidates; candidates written before any m= line (some clients do) form an
 *                        entry with empty media and mid
 */
public record TrickleFragment(Optional<String> iceUfrag, Optional<String> icePwd, List<String> iceOptions,
                              boolean iceLite, boolean endOfCandidates, List<MediaCandidates> media) {

    /**
     * Candidates of one m-section.
     *
     * @param media the m-line's media ({@code audio}, {@code video}), or {@code ""} for session-level candidates
     * @param mid   the section's {@code a=mid}, or {@code ""} when it has none
     */
    public record MediaCandidates(String media, String mid, List<IceCandidate> candidates, boolean endOfCandidates) {
        public MediaCandidates {
            Objects.requireNonNull(media, "media");
            Objects.requireNonNull(mid, "mid");
            candidates = List.copyOf(candidates);
        }
    }

    public TrickleFragment {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        iceOptions = List.copyOf(iceOptions);
        media = List.copyOf(media);
    }

    /** Reads a PATCH body. Tolerant like {@link SdpParser}; malformed input is an {@link SdpParseException}. */
    public static TrickleFragment parse(String body) throws SdpParseException {
        SdpFragment f = SdpParser.parseFragment(body);
        Optional<String> ufrag = f.iceUfrag();
        Optional<String> pwd = f.icePwd();
        List<MediaCandidates> media = new ArrayList<>();
        if (!f.candidates().isEmpty()) media.add(new MediaCandidates("", "", f.candidates(), false));
        for (int i = 0; i < f.media().size(); i++) {
            MediaSection m = f.media().get(i);
            ufrag = agree("a=ice-ufrag", ufrag, m.iceUfrag(), i);
            pwd = agree("a=ice-pwd", pwd, m.icePwd(), i);
            media.add(new MediaCandidates(m.media(), m.mid().orElse(""), m.candidates(), m.endOfCandidates()));
        }
        return new TrickleFragment(ufrag, pwd, f.iceOptions(), f.iceLite(), f.endOfCandidates(), media);
    }

    private static Optional<String> agree(String what, Optional<String> known, Optional<String> section, int index)
            throws SdpParseException {
        if (section.isEmpty()) return known;
        if (known.isPresent() && !known.get().equals(section.get())) {
            throw new SdpParseException(what + " '" + section.get() + "' in m-section " + (index + 1)
                    + " conflicts with '" + known.get() + "' given before it");
        }
        return section;
    }

    /**
     * Our answer to an ICE restart: the new credentials, every candidate, end-of-candidates, scoped to the
     * bundle-tag section, with the same ice-lite as the original answer.
     *
     * @param media the tag section's media, e.g. {@code audio}
     * @param mid   the tag section's mid
     */
    public static TrickleFragment restartResponse(IceParameters localIce, List<Candidate> candidates, String media, String mid) {
        List<IceCandidate> lines = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) lines.add(IceCandidate.host(Integer.toString(i + 1), candidates.get(i)));
        return new TrickleFragment(Optional.of(localIce.ufrag()), Optional.of(localIce.password()), List.of(), true, false,
                List.of(new MediaCandidates(media, mid, lines, true)));
    }

    /** Every candidate, in order, whatever section it came in. */
    public List<IceCandidate> allCandidates() {
        return media.stream().flatMap(m -> m.candidates().stream()).toList();
    }

    public List<IceCandidate> candidates(String mid) {
        return media.stream().filter(m -> m.mid().equals(mid)).flatMap(m -> m.candidates().stream()).toList();
    }

    /** True when the session-level flag or every section says the remote side has finished gathering. */
    public boolean gatheringComplete() {
        return endOfCandidates || (!media.isEmpty() && media.stream().allMatch(MediaCandidates::endOfCandidates));
    }

    /** The credentials, when the fragment carries both. */
    public Optional<IceParameters> iceParameters() {
        return iceUfrag.isPresent() && icePwd.isPresent()
                ? Optional.of(new IceParameters(iceUfrag.get(), icePwd.get())) : Optional.empty();
    }

    /** The fragment as {@code application/trickle-ice-sdpfrag} text, CRLF line ends. */
    public String write() {
        List<Attribute> session = new ArrayList<>();
        if (iceLite) session.add(Attribute.flag("ice-lite"));
        if (!iceOptions.isEmpty()) session.add(Attribute.of("ice-options", String.join(" ", iceOptions)));
        iceUfrag.ifPresent(u -> session.add(Attribute.of("ice-ufrag", u)));
        icePwd.ifPresent(p -> session.add(Attribute.of("ice-pwd", p)));
        List<MediaSection> sections = new ArrayList<>();
        for (MediaCandidates m : media) {
            if (m.media().isEmpty()) {
                m.candidates().forEach(c -> session.add(c.toAttribute()));
                if (m.endOfCandidates()) session.add(Attribute.flag("end-of-candidates"));
                continue;
            }
            // RFC 8840 §4.4: the m-line only gives the mid a context; port, protocol and format are placeholders.
            MediaSection.Builder b = MediaSection.builder(m.media(), 9, "UDP/TLS/RTP/SAVPF").format(0);
            if (!m.mid().isEmpty()) b.attribute("mid", m.mid());
            m.candidates().forEach(c -> b.attribute(c.toAttribute()));
            if (m.endOfCandidates()) b.flag("end-of-candidates");
            sections.add(b.build());
        }
        if (endOfCandidates) session.add(Attribute.flag("end-of-candidates"));
        return SdpWriter.write(new SdpFragment(List.of(), session, sections));
    }
}
