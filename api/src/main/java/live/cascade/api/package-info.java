/**
 * The composition root: {@code ServerMain} reads the config and {@code CascadeServer} builds the node from the
 * feature packages, which never import this one.
 */
package live.cascade.api;
