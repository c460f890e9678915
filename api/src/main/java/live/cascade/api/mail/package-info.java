/**
 * Outgoing e-mail: the durable outbox and its SMTP sender, address verification, password reset by a single-use link,
 * "a channel you follow is live" notices with their opt-outs and RFC 8058 one-click unsubscribe.
 */
package live.cascade.api.mail;
