/**
 * Operating the node: {@code /healthz} and the one {@code /readyz} document with its components, the refusal counters
 * every admission limit reports to, and the bridge of JDK logging into SLF4J.
 */
package live.cascade.api.ops;
