// Finding a user by what a person knows: a username (any case, with or without @) or a user id.
import { api } from '../api.js';

/** Resolves to {id, username}; a name nobody has is refused in the server's words (404's detail). */
export async function resolveUser(text) {
  const value = text.trim().replace(/^@/, '');
  if (!value) throw new Error('Enter a username or a user id.');
  if (/^\d+$/.test(value)) return { id: Number(value), username: null };
  return api(`/api/users/by-username/${encodeURIComponent(value)}`);
}

/** Usernames for ids (for showing a stored list of ids as names); an id that no longer resolves stays a number. */
export async function usernames(ids, { signal } = {}) {
  return Promise.all(ids.map(async id => {
    try {
      return (await api(`/api/users/${id}`, { signal })).username;
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      return String(id);
    }
  }));
}
