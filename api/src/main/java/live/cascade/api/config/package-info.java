/**
 * The typed configuration: every {@code Setting} with its flag, environment variable and file key, and
 * {@code ConfigLoader}, which merges defaults, file, environment and flags into one validated {@code CascadeConfig}.
 */
package live.cascade.api.config;
