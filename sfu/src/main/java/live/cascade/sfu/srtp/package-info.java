/**
 * SRTP/SRTCP in place on caller-owned arrays, with per-SSRC state in int-keyed maps: under AES-CM our own
 * allocation-free transforms on the JDK's AES/CTR and SHA-1, under GCM Jitsi SRTP.
 */
package live.cascade.sfu.srtp;
