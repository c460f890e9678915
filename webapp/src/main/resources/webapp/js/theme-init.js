// Applies the remembered theme (or the system's) before the first paint, so a light-theme user never sees a dark
// flash. A classic script on purpose: modules are deferred and would run after the paint.
(function () {
  var theme = null;
  try { theme = localStorage.getItem('cascade-theme'); } catch (e) { /* storage may be blocked */ }
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
  }
  document.documentElement.setAttribute('data-theme', theme);
})();
