/**
 * Nothing lost in a database blip: the one ordered write queue that retries the writes that matter (stream and viewer
 * sessions, recording rows) until the database is back, and the outage state behind the 503s and {@code /readyz}.
 */
package live.cascade.api.durability;
