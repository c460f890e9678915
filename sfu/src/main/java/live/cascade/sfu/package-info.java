/** The UDP media plane: ICE-lite, DTLS, SRTP, RTP/RTCP routing and forwarding. Knows nothing of SDP, HTTP or SQL. */
package live.cascade.sfu;
