package live.cascade.api.config;

import java.time.Duration;

/**
 * The admission limits of one node: who may open what, per client address and per account, beyond the node-wide
 * session limit.
 *
 * @param publisherReserve      WHIP sessions out of {@code --max-sessions} that only publishers may use
 * @param whepPendingPerIp      WHEP sessions one address may have still connecting
 * @param whepPendingPerChannel WHEP sessions one channel may have still connecting
 * @param sessionSetupTimeout   how long a media session may take to complete ICE and DTLS before it is closed
 * @param signupsPerIp          signups one address may make per {@code signupWindow}
 * @param signupsTotal          signups from all addresses together per {@code signupWindow}
 * @param signupWindow          window of the signup limits
 * @param chatSocketsPerIp      chat WebSockets one address may hold open on this node
 * @param channelsPerAccount    channels one (non-admin) account may own
 * @param broadcastsPerAccount  broadcasts one (non-admin) account may have live at once, over all nodes
 * @param connectionsPerIp      HTTP connections one address may hold open
 */
public record AdmissionConfig(int publisherReserve, int whepPendingPerIp, int whepPendingPerChannel, Duration sessionSetupTimeout,
                              int signupsPerIp, int signupsTotal, Duration signupWindow, int chatSocketsPerIp, int channelsPerAccount, int broadcastsPerAccount,
                              int connectionsPerIp) {
}
