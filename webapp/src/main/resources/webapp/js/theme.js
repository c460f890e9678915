// Dark and light themes: remembered in localStorage, applied as data-theme on <html> (theme-init.js does the first
// application before paint; this module owns the toggle).
const KEY = 'cascade-theme';

export function currentTheme() {
  return document.documentElement.getAttribute('data-theme') === 'light' ? 'light' : 'dark';
}

export function setTheme(theme) {
  document.documentElement.setAttribute('data-theme', theme);
  try { localStorage.setItem(KEY, theme); } catch { /* private mode: the choice lasts for this page only */ }
}

export function bindToggle(button) {
  const sync = () => {
    const light = currentTheme() === 'light';
    button.setAttribute('aria-pressed', String(light));
    button.textContent = 'Light theme';
    button.title = light ? 'Switch to the dark theme' : 'Switch to the light theme';
  };
  button.addEventListener('click', () => {
    setTheme(currentTheme() === 'light' ? 'dark' : 'light');
    sync();
  });
  sync();
}
