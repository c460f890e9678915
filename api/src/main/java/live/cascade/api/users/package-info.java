/**
 * User administration: listing and showing users, role changes and suspensions, the site log, and the first admin
 * created at start-up.
 */
package live.cascade.api.users;
