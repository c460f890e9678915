/**
 * Who may watch what: channel visibility (public, unlisted, private) and the viewer tokens that open a private
 * channel's playback at WHEP and HLS.
 */
package live.cascade.api.access;
