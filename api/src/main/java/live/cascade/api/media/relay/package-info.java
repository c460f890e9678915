/**
 * Relays: this node pulling a channel from the node that holds it (the origin) over WHEP, as one session however
 * many viewers it serves, and the origin's check of such a request ({@link live.cascade.api.media.relay.RelayAuthority}).
 * How the origin is found is not decided here: callers pass its WHEP URL.
 */
package live.cascade.api.media.relay;
