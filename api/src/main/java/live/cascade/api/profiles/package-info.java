/**
 * Public profiles: bio, avatar and banner, a featured channel, top friends and donation addresses (links only, with
 * their format checks).
 */
package live.cascade.api.profiles;
