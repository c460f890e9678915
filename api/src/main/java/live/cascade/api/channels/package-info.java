/**
 * Channels: creating and editing them, stream keys, tags and the directory of live channels, and the lookup other
 * packages use to resolve a slug.
 */
package live.cascade.api.channels;
