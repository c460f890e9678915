package live.cascade.sfu.net;

/** Per-worker event counters that are not drops. */
public enum Counter {
    RX_DATAGRAMS,
    RX_BYTES,
    TX_DATAGRAMS,
    TX_BYTES,
    STUN_RESPONSES,
    /** Binding requests we sent as the controlling agent (relay transports). */
    STUN_REQUESTS_SENT,
    DTLS_DATAGRAMS_IN,
    DTLS_HANDSHAKES,
    /** SRTP/SRTCP datagrams that arrived during our DTLS handshake and were kept to decrypt once keys exist. */
    EARLY_MEDIA_KEPT,
    RTP_RECEIVED,
    RTCP_RECEIVED,
    RTP_SENT,
    RTCP_SENT,
    TRANSPORTS_CREATED,
    TRANSPORTS_CLOSED,
    /** Sends that found every recycled datagram of their transport in flight and allocated an envelope. */
    TX_POOL_MISSES,
    /** Exceptions Netty reported on the socket (e.g. ICMP errors); the channel stays open. */
    SOCKET_ERRORS,
    /** ICE-TCP connections accepted on the worker's TCP port. */
    TCP_CONNECTIONS_ACCEPTED,
    /** ICE-TCP connections that ended (by either side). */
    TCP_CONNECTIONS_CLOSED,
    /** ICE-TCP connections closed because their peer read too slowly: the write queue stayed full too long. */
    TCP_SLOW_PEERS_CLOSED,
    /** ICE-TCP connections closed because they carried no authenticated STUN check in time. */
    TCP_UNAUTHENTICATED_CLOSED;

    static final Counter[] VALUES = values();
}
