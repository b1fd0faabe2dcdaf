// Progressive enhancement only: every page works without this file.
(() => {
  // Sign-in links carry the browser's time zone, the default for the dashboard.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const link of document.querySelectorAll('a[href^="/login"]')) {
    const url = new URL(link.href);
    url.searchParams.set('tz', zone);
    link.href = url.toString();
  }
  // Settings: offer the browser's zone while the stored one is the UTC default.
  const tz = document.querySelector('input[data-browser-zone]');
  if (tz && tz.value === 'UTC' && zone) tz.value = zone;

  // Import progress: live updates over server-sent events instead of the page refresh.
  const box = document.querySelector('[data-events]');
  const url = box?.getAttribute('data-events');
  if (box && url && 'EventSource' in window) {
    const refresh = document.querySelector('meta[http-equiv="refresh"]');
    refresh?.remove();
    if (refresh) {
      // A removed refresh meta still fires in some browsers: stop it by navigating nowhere.
      window.stop?.();
    }
    const source = new EventSource(url);
    source.addEventListener('progress', (event) => {
      const p = JSON.parse(event.data);
      for (const key of ['percent', 'rows', 'inserted', 'duplicates']) {
        const el = box.querySelector(`[data-field="${key}"]`);
        if (el) el.textContent = String(p[key]);
      }
      const bar = box.querySelector('progress');
      if (bar) bar.value = p.percent;
      if (p.status === 'done' || p.status === 'failed') {
        source.close();
        window.location.reload();
      }
    });
  }
})();
