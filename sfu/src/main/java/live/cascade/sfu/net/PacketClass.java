package live.cascade.sfu.net;

/** RFC 7983 demultiplexing of one UDP port by the first byte of each datagram. */
enum PacketClass {
    STUN, DTLS, RTP_RTCP, OTHER;

    public static PacketClass of(int firstByte) {
        if (firstByte >= 0 && firstByte <= 3) return STUN;
        if (firstByte >= 20 && firstByte <= 63) return DTLS;
        if (firstByte >= 128 && firstByte <= 191) return RTP_RTCP;
        return OTHER;
    }

    /**
     * RFC 5761 4: with RTP and RTCP on one port, RTCP packet types 192-223 sit where an RTP marker bit plus payload
     * type 64-95 would, a range RTP payload types must therefore avoid.
     */
    public static boolean isRtcp(int secondByte) {
        return secondByte >= 192 && secondByte <= 223;
    }
}
