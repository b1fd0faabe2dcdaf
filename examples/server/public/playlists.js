// Progressive enhancement of the rule form: the query is checked as it is typed and the faulty
// term is marked. Without this file the form still works: the server checks it on submit.
(() => {
  const box = document.querySelector('textarea[data-query-check]');
  const error = document.querySelector('[data-query-error]');
  const echo = document.querySelector('[data-query-echo]');
  if (!box || !error || !echo) return;
  let timer = 0;
  let asked = 0;

  const show = (query, verdict) => {
    echo.replaceChildren();
    if (verdict.ok) {
      error.textContent = '';
      box.removeAttribute('aria-invalid');
      echo.hidden = true;
      return;
    }
    error.textContent = verdict.message;
    box.setAttribute('aria-invalid', 'true');
    if (verdict.end > verdict.start) {
      const code = document.createElement('code');
      const mark = document.createElement('mark');
      mark.textContent = query.slice(verdict.start, verdict.end);
      code.append(query.slice(0, verdict.start), mark, query.slice(verdict.end));
      echo.append(code);
      echo.hidden = false;
    } else echo.hidden = true;
  };

  const check = async () => {
    const query = box.value;
    const ticket = ++asked;
    if (query.trim() === '') {
      show(query, { ok: true });
      return;
    }
    try {
      const response = await fetch(`/playlists/check?query=${encodeURIComponent(query)}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) return;
      const verdict = await response.json();
      // An older answer arriving after a newer one is dropped.
      if (ticket === asked) show(query, verdict);
    } catch {
      // Offline or the server restarting: the server checks the form on submit anyway.
    }
  };

  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
})();
