// Copy-link and Web Share buttons of shared faces: shown only where the browser supports them.
document.querySelectorAll<HTMLButtonElement>('button[data-copy]').forEach((button) => {
  if (navigator.clipboard === undefined) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy ?? '');
      button.textContent = 'Link copied';
    } catch {
      button.textContent = 'Copy failed';
    }
  });
});
document.querySelectorAll<HTMLButtonElement>('button[data-share]').forEach((button) => {
  if (typeof navigator.share !== 'function') return;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator
      .share({ title: button.dataset.title ?? 'A face', url: button.dataset.share ?? '' })
      .catch(() => undefined);
  });
});
