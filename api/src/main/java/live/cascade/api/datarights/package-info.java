/** A user's data rights: an export of what the node keeps about them, and erasing their account after a grace period. */
package live.cascade.api.datarights;
