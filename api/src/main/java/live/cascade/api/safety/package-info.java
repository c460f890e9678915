/**
 * Trust and safety for the site's administrators: the platform report queue and the actions taken on it, appeals
 * against those actions, the DMCA take-down record, the operator's Terms and Privacy texts with versioned acceptance,
 * and the mature flag's age gate. Every step goes to the site-wide audit log; affected people are told through the mail
 * outbox.
 */
package live.cascade.api.safety;
