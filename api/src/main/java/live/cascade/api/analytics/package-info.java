/** Creator analytics from recorded viewer sessions and chat, and the studio's live ingest health. */
package live.cascade.api.analytics;
