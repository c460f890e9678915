/**
 * The one signed playback token (an HMAC over channel, viewing session, entitlement and expiry) on HLS and VOD URLs:
 * issuing, checking, and counting refusals. Later features reuse it rather than adding a second token.
 */
package live.cascade.api.playback;
