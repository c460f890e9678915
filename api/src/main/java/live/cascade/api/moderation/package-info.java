/**
 * Channel moderation: who may moderate a channel, bans, timeouts, deletions, slow mode and banned words, the chat
 * settings cache and the message filter chat applies; moderation tells chat what happened through {@code ModerationEvents}.
 */
package live.cascade.api.moderation;
