/**
 * SRTP/SRTCP in place on caller-owned arrays, with per-SSRC state in int-keyed maps: RTP under AES-CM through our own
 * allocation-free transform on the JDK's AES/CTR and SHA-1, SRTCP and the GCM profile through Jitsi SRTP.
 */
package live.cascade.sfu.srtp;
