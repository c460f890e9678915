/**
 * The capacity load tool: {@link live.cascade.bench.load.ViewerLoad} steps up real WHEP viewers
 * ({@link live.cascade.bench.load.LoadViewer}, served by a few {@link live.cascade.bench.load.ViewerReactor} threads)
 * against a node and an FFmpeg WHIP publisher, and prints what they received and what it cost (docs/performance.md,
 * capacity).
 */
package live.cascade.bench.load;
