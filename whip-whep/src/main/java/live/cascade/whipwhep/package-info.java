/** RFC 9725 WHIP and WHEP HTTP resources. No media logic lives here. */
package live.cascade.whipwhep;
