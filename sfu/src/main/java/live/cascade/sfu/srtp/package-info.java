/** SRTP/SRTCP over Jitsi SRTP, in place on caller-owned arrays, with per-SSRC contexts in int-keyed maps. */
package live.cascade.sfu.srtp;
