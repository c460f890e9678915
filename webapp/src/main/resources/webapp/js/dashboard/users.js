// Finding a user by what a moderator knows: a user id, or the name of someone who chatted recently. (The API has
// no lookup by username for non-admins; recent chat is where moderators meet people.)
import { api } from '../api.js';

export async function resolveUser(channelSlug, text) {
  const value = text.trim().replace(/^@/, '');
  if (!value) throw new Error('Enter a username or a user id.');
  if (/^\d+$/.test(value)) return { id: Number(value), username: null };
  const page = await api(`/api/channels/${encodeURIComponent(channelSlug)}/chat?limit=100`);
  const match = page.items.find(m => m.user.username.toLowerCase() === value.toLowerCase());
  if (!match) throw new Error(`No one called “${value}” chatted in ${channelSlug} recently. Enter their user id (a number) instead.`);
  return match.user;
}
