/**
 * Send-side bandwidth estimation toward one viewer, GoogCC-style: what we sent ({@link
 * live.cascade.sfu.bwe.SendHistory}, by transport-wide sequence number) against what the viewer's transport-cc
 * feedback says arrived. A delay-based part (packet groups, trendline filter, overuse detector with an adaptive
 * threshold, AIMD rate control), a loss-based part (the classic 2 %/10 % rules), the acknowledged bitrate, probe
 * clusters that test for headroom, REMB as the fallback when the viewer negotiated no transport-cc, and the pacer
 * that keeps bursts within the estimate. One set per viewer transport, confined to its worker thread, allocation-free
 * after construction.
 */
package live.cascade.sfu.bwe;
