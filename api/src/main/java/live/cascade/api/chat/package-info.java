/**
 * Live chat: the WebSocket endpoint and its frames, posting through rate limits and moderation, the per-node hub that
 * fans messages out, presence, and the chat-bus seam (in process here, Redis in {@code redis}).
 */
package live.cascade.api.chat;
