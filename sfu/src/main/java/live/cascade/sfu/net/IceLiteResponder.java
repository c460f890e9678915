package live.cascade.sfu.net;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import live.cascade.sfu.ice.IceCredential;
import live.cascade.sfu.ice.StunMessages;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;

/**
 * ICE-lite on one worker: authenticates Binding requests and answers them. A request is looked up by the local ufrag
 * in USERNAME ({@code ourUfrag:theirUfrag}), checked for FINGERPRINT (when present) and MESSAGE-INTEGRITY keyed with
 * that transport's password, answered with XOR-MAPPED-ADDRESS, and then applied to the transport's ICE state.
 *
 * <p>STUN is a few packets per peer per second at most, so ice4j's allocating decoder is affordable here; the cheap
 * structural checks in {@link StunMessages} run first so garbage is classified without it.
 */
final class IceLiteResponder {
    private final MediaWorker worker;

    IceLiteResponder(MediaWorker worker) {
        this.worker = worker;
    }

    void handle(ByteBuf content, InetSocketAddress sender) {
        PacketCounters counters = worker.counters;
        int len = content.readableBytes();
        byte[] buf = worker.rxScratch;
        if (len > MediaWorker.MAX_DATAGRAM) {
            counters.drop(DropReason.OVERSIZED);
            return;
        }
        // ice4j's decoder is only correct at offset 0, so the copy starts there.
        content.getBytes(content.readerIndex(), buf, 0, len);

        int type = StunMessages.messageType(buf, len);
        if (type < 0) {
            counters.drop(DropReason.STUN_MALFORMED);
            return;
        }
        if (type == StunMessages.BINDING_INDICATION) {
            counters.drop(DropReason.STUN_INDICATION);
            return;
        }
        if (type == StunMessages.BINDING_SUCCESS_RESPONSE || type == StunMessages.BINDING_ERROR_RESPONSE) {
            // Only a transport that checks its peer itself (a relay pulling from another node) expects these.
            PeerTransport checking = worker.transports.byAddress(sender);
            if (checking == null || !checking.onCheckAnswer(buf, len, sender)) counters.drop(DropReason.STUN_UNMATCHED_RESPONSE);
            return;
        }
        if (type != StunMessages.BINDING_REQUEST) {
            counters.drop(DropReason.STUN_NOT_BINDING_REQUEST);
            return;
        }
        int fingerprint = StunMessages.findAttribute(buf, len, StunMessages.ATTR_FINGERPRINT);
        if (fingerprint >= 0 && !StunMessages.fingerprintMatches(buf, len, fingerprint, worker.crc)) {
            counters.drop(DropReason.STUN_BAD_FINGERPRINT);
            return;
        }

        Message request;
        try {
            request = Message.decode(buf, 0, len);
        } catch (StunException | RuntimeException e) {
            counters.drop(DropReason.STUN_MALFORMED);
            return;
        }
        String localUfrag = localUfrag((UsernameAttribute) request.getAttribute(Attribute.USERNAME));
        if (localUfrag == null) {
            counters.drop(DropReason.STUN_NO_USERNAME);
            return;
        }
        PeerTransport transport = worker.transports.byUfrag(localUfrag);
        IceCredential credential = transport == null ? null : transport.credentialFor(localUfrag);
        if (credential == null) {
            counters.drop(DropReason.STUN_UNKNOWN_UFRAG);
            return;
        }
        Attribute integrity = request.getAttribute(Attribute.MESSAGE_INTEGRITY);
        if (integrity == null) {
            counters.drop(DropReason.STUN_NO_INTEGRITY);
            return;
        }
        if (!StunMessages.integrityMatches(buf, len, integrity.getLocationInMessage(), credential,
                worker.hmacScratch)) {
            counters.drop(DropReason.STUN_BAD_INTEGRITY);
            return;
        }
        boolean useCandidate = request.containsAttribute(Attribute.USE_CANDIDATE);

        // Answer before applying the check, so that a DTLS ClientHello it may trigger follows the response.
        byte[] out = worker.stunResponse;
        int n = StunMessages.writeBindingSuccess(buf, out, sender, credential, worker.crc);
        worker.out.write(worker.out.alloc().directBuffer(n).writeBytes(out, 0, n), sender);
        counters.increment(Counter.STUN_RESPONSES);

        transport.onAuthenticatedCheck(credential, sender, useCandidate);
    }

    /** The part of USERNAME before the colon, or null when there is no non-empty one. */
    private static String localUfrag(UsernameAttribute username) {
        if (username == null) return null;
        byte[] raw = username.getUsername();
        if (raw == null) return null;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == ':') return i == 0 ? null : new String(raw, 0, i, StandardCharsets.US_ASCII);
        }
        return null;
    }
}
