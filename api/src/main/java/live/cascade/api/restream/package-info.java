/** Restreaming out (issue 23): a channel's destinations (CRUD), and what the taps read of them. */
package live.cascade.api.restream;
