/** ICE-lite without I/O: STUN wire helpers, local credentials, and the per-transport nomination/consent state. */
package live.cascade.sfu.ice;
