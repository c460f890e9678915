package live.cascade.signaling.session;

import live.cascade.sfu.engine.MediaLane;

import live.cascade.sfu.engine.MediaEngine;
import live.cascade.sfu.params.TrackParameters;
import live.cascade.sfu.transport.TransportControl;
import live.cascade.signaling.negotiation.NegotiationFailure;
import live.cascade.signaling.negotiation.PlaybackAnswer;
import live.cascade.signaling.negotiation.PlaybackNegotiator;
import live.cascade.signaling.negotiation.PlaybackPlan;
import live.cascade.signaling.sdp.MediaSection;
import live.cascade.signaling.sdp.SdpParseException;
import live.cascade.signaling.sdp.SdpParser;
import live.cascade.signaling.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A WHEP POST from offer to answer (request thread): parse, find the live broadcast, admit (before negotiating, so a
 * refused flood costs a parse and a lookup), negotiate once into a plan, create the viewer's transport on the
 * broadcast's lane and write the answer with it. The viewer joins the broadcast once its DTLS is done
 * ({@link BroadcastLifecycle#viewerSecure}).
 */
final class PlayFlow {
    private static final Logger LOG = LoggerFactory.getLogger(PlayFlow.class);

    private final MediaEngine engine;
    private final PlaybackNegotiator negotiator;
    private final SessionAdmission admission;
    private final AdmissionLimits limits;
    private final SessionRegistry sessions;
    private final BroadcastLifecycle broadcasts;
    private final Refusals refusals;

    PlayFlow(MediaEngine engine, PlaybackNegotiator negotiator, SessionAdmission admission, AdmissionLimits limits,
             SessionRegistry sessions, BroadcastLifecycle broadcasts, Refusals refusals) {
        this.engine = engine;
        this.negotiator = negotiator;
        this.admission = admission;
        this.limits = limits;
        this.sessions = sessions;
        this.broadcasts = broadcasts;
        this.refusals = refusals;
    }

    PlayResult play(ChannelRef channel, String offerSdp, String clientAddress, SessionKind kind) {
        SessionDescription offer;
        try {
            offer = SdpParser.parse(offerSdp);
        } catch (SdpParseException e) {
            return refusals.refuse(Refusal.Reason.MALFORMED, "The SDP offer does not parse: " + e.getMessage());
        }
        Broadcast b = broadcasts.find(channel.id());
        if (b == null) {
            return refusals.refuse(Refusal.Reason.OFFLINE, "Channel '" + channel.slug() + "' is not live right now; try again when it is.");
        }
        String directOnly = directOnlyVideo(b, offer);
        if (directOnly != null) return refusals.refuse(Refusal.Reason.UNPROCESSABLE, directOnly);
        SessionAdmission.Ticket ticket;
        switch (admission.admitViewer(clientAddress, channel.id())) {
            case SessionAdmission.Ticket t -> ticket = t;
            case SessionAdmission.Denied d -> {
                return refusals.refuse(d.reason(), refusalDetail(d.reason(), channel));
            }
        }
        List<TrackParameters> publisherTracks = b.tracks;
        PlaybackPlan plan;
        switch (negotiator.plan(offer, publisherTracks)) {
            case PlaybackPlan p -> plan = p;
            case NegotiationFailure f -> {
                ticket.release();
                return refusals.refuse(Refusal.Reason.UNPROCESSABLE, f.detail());
            }
        }
        String id = SessionRegistry.newId();
        SessionEvents events = new SessionEvents(id, ticket, sessions, broadcasts);
        MediaLane lane = broadcasts.viewerLane(b, kind);
        TransportControl transport;
        try {
            transport = Transports.open(lane, plan.transport(), events, ticket);
        } catch (RuntimeException e) {
            broadcasts.viewerLaneUnused(lane);
            throw e;
        }
        PlaybackAnswer answer = plan.answer(Transports.server(engine, transport));
        MediaSection first = answer.answer().media().getFirst();
        MediaSession session = new MediaSession(id, kind, channel, answer.tracks(), first.media(),
                first.mid().orElse("0"), SessionRegistry.newEtag());
        session.transport = transport;
        session.lane = lane;
        session.broadcast = b;
        events.session = session;
        sessions.add(session);
        if (kind == SessionKind.RELAY) LOG.info("WHEP session {} relays channel {} to another node ({})", id, channel.slug(), clientAddress);
        else LOG.debug("WHEP session {} plays channel {}", id, channel.slug());
        return new SessionCreated(id, session.etag, answer.sdp());
    }

    /**
     * Why a viewer asking for video cannot play a broadcast whose video reaches only HLS and the recording (RTMP/SRT
     * HEVC), or null. Refused whole rather than answered with audio alone: a player then falls back to HLS, where the
     * picture is (the web player does so on a 422), instead of playing sound over a black frame.
     */
    private static String directOnlyVideo(Broadcast b, SessionDescription offer) {
        var video = b.directTracks.stream().filter(t -> t.kind() == live.cascade.sfu.params.MediaKind.VIDEO).findFirst();
        if (video.isEmpty()) return null;
        boolean wantsVideo = offer.media().stream().anyMatch(m -> m.kind().orElse(null) == live.cascade.sfu.params.MediaKind.VIDEO && m.port() != 0);
        if (!wantsVideo) return null;
        String codec = video.get().codec().name().equalsIgnoreCase("H265") ? "HEVC" : video.get().codec().name();
        return "This broadcast's video is " + codec + ", which this node does not send over WebRTC; play it over HLS at /hls/"
                + b.channel.slug() + "/master.m3u8 (an offer with audio only gets its audio here).";
    }

    private String refusalDetail(Refusal.Reason reason, ChannelRef channel) {
        return switch (reason) {
            case VIEWER_SHARE_FULL -> "This node is serving its limit of " + limits.viewerShare() + " viewers; try again in a few seconds.";
            case PENDING_VIEWERS_PER_ADDRESS -> "Your address already has " + limits.pendingViewersPerAddress()
                    + " WHEP sessions that have not finished connecting (ICE and DTLS); connect or DELETE those first, or wait for them to expire.";
            case PENDING_VIEWERS_PER_CHANNEL -> "Channel '" + channel.slug() + "' has " + limits.pendingViewersPerChannel()
                    + " viewers connecting right now; try again in a few seconds.";
            default -> "This node cannot take another viewer now; try again in a few seconds.";
        };
    }
}
