/**
 * The browser side of Cascade Live, packaged as static resources under {@code webapp/} and served by the api module
 * ({@code live.cascade.api.web}): the page shells ({@code index.html}, {@code embed.html}), one stylesheet, plain ES
 * modules under {@code js/} with no build step, and vendored libraries under {@code vendor/} (hls.js 1.7.4). See
 * docs/webapp.md.
 */
package live.cascade.webapp;
