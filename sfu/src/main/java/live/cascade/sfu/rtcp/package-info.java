/**
 * RTCP on plain {@code byte[]}: the compound-packet walker, zero-allocation views of the reports and feedback we read
 * (SR, RR, PLI, FIR, NACK, REMB, transport-cc), each reporting malformed input as an {@link
 * live.cascade.sfu.rtcp.RtcpStatus} (never an exception), and the writer for the RTCP we send.
 */
package live.cascade.sfu.rtcp;
