/**
 * Player quality of experience: the beacons the web player and embed send ({@code POST /api/qoe}), checked and
 * rate-limited, summed into lean node-wide {@code /metrics} (no per-viewer labels; per-channel gauges only while a
 * channel is live here) and into per-channel windows the creator's analytics page reads.
 */
package live.cascade.api.qoe;
