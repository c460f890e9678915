/**
 * Automatic HTTPS: the node's own ACME (RFC 8555) client, through acme4j. It proves the domains over HTTP-01 on a
 * plain-HTTP port of its own, keeps the account key and the certificate under the data directory, serves the
 * certificate on the HTTP port's TLS and swaps it in place on renewal; failures are retried with back-off and shown
 * in {@code /readyz} and {@code /metrics}, never stopping the node from serving.
 */
package live.cascade.api.acme;
