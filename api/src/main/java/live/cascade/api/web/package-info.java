/**
 * Serving the browser app: the page shell on the app's routes (with the signed-in user as boot data) and the static
 * modules from the cascade-webapp jar, with the security headers pages need.
 */
package live.cascade.api.web;
