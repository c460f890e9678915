/**
 * ICE servers for clients: the STUN URLs of the configuration and, with a coturn beside the node, TURN URLs with
 * short-lived credentials minted per request (TURN REST API), in WHIP/WHEP {@code Link} headers and at
 * {@code GET /api/ice-servers} for the web app, which needs them before its first offer.
 */
package live.cascade.api.ice;
