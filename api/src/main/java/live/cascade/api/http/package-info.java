/**
 * HTTP plumbing shared by every resource: problem documents ({@code ApiException}, {@code ProblemResponder}), JSON,
 * validation, paging, the client address behind trusted proxies, per-address connection limits, TLS from PEM files and
 * request metrics with the audit line.
 */
package live.cascade.api.http;
