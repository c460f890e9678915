/** SDP model, parser and writer; offer/answer into the media plane's parameter records. Never imports Javalin. */
package live.cascade.signaling;
