/**
 * Who is asking: sign-up, login and sessions, password hashing and policy, stream-key encryption, the throttles on
 * credentials, and the {@code Principal} every other package is handed.
 */
package live.cascade.api.auth;
