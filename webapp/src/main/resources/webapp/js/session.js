// Who is signed in. The server puts the user into the page shell (boot data), so the first paint is already right;
// after that, login, signup and logout update it here and every listener (header, views) follows.
import { api } from './api.js';

function readBoot() {
  const el = document.getElementById('cascade-boot');
  try {
    return el ? JSON.parse(el.textContent) : {};
  } catch {
    return {};
  }
}

const boot = readBoot();
let current = boot.user || null;
const listeners = new Set();

export const version = boot.version || 'dev';

export function user() {
  return current;
}

export function isAdmin() {
  return current?.role === 'admin';
}

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next) {
  current = next;
  for (const l of listeners) l(current);
}

export async function login(loginName, password) {
  const r = await api('/api/auth/login', { method: 'POST', body: { login: loginName, password } });
  set(r.user);
  return r.user;
}

export async function signup(username, email, password, termsVersion) {
  const r = await api('/api/auth/signup', { method: 'POST', body: { username, email, password, termsVersion } });
  set(r.user);
  return r.user;
}

export async function logout() {
  try {
    await api('/api/auth/session', { method: 'DELETE' });
  } finally {
    set(null);
  }
}

export async function logoutEverywhere() {
  const r = await api('/api/auth/sessions', { method: 'DELETE' });
  set(null);
  return r.sessionsEnded;
}

export async function changePassword(currentPassword, newPassword) {
  const r = await api('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  set(r.user);
  return r.user;
}

/** Called when the server says the session is gone (401 on a call that needed it). */
export function expired() {
  if (current) set(null);
}
