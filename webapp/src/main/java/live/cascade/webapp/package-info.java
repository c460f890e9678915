/**
 * The browser side of Cascade Live: broadcaster, viewer and control center pages, packaged as static resources
 * under {@code /webapp} and served by the {@code api} module. Nothing is here yet; the web-app issue fills it.
 */
package live.cascade.webapp;
