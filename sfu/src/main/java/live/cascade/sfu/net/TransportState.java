package live.cascade.sfu.net;

import live.cascade.sfu.transport.CloseReason;
/** Life cycle of a {@link PeerTransport}. States only move forward. */
public enum TransportState {
    /** Created; no authenticated ICE check yet. */
    NEW,
    /**
     * Authenticated checks seen, no pair selected. With lenient nomination (the default) the first authenticated
     * check also selects its pair, so this state is passed straight through.
     */
    CHECKING,
    /** ICE selected a pair; as DTLS client the handshake starts now. */
    CONNECTED,
    /** DTLS finished and SRTP keys are in place: media flows both ways. */
    SECURE,
    /** Closed for a {@link CloseReason}; consent revoked, nothing is answered or sent any more. */
    CLOSED
}
