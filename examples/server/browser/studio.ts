// The face studio in the browser: a pin change maps the face again with @spoti/face (the same
// mapFace and varyFace as the server), updates the preview, reasons and links without a page
// load, and saves the pins. Without this script the same form posts and the page reloads.
import {
  type FacePins,
  type ListeningProfile,
  PARAM_KEYS,
  mapFace,
  toFaceString,
  toNotionFaceUrl,
  varyFace,
} from '@spoti/face';

interface StudioData {
  readonly profile: ListeningProfile;
  readonly pins: FacePins;
  readonly seed: string | null;
}

const dataNode = document.getElementById('face-data');
const form = document.getElementById('pin-form') as HTMLFormElement | null;
if (dataNode !== null && form !== null) {
  const data = JSON.parse(dataNode.textContent ?? '{}') as StudioData;
  const preview = document.getElementById('face-preview') as HTMLImageElement | null;
  const faceString = document.getElementById('face-string');
  const notion = document.getElementById('notion-link') as HTMLAnchorElement | null;
  const status = document.getElementById('pin-status');
  const save = document.getElementById('save-pins');
  if (save !== null) save.hidden = true;
  let saving = Promise.resolve();

  const currentPins = (): Record<string, string> => {
    const pins: Record<string, string> = {};
    for (const key of PARAM_KEYS) {
      const select = form.elements.namedItem(`pin_${key}`) as HTMLSelectElement | null;
      if (select !== null && select.value !== 'auto') pins[key] = select.value;
    }
    return pins;
  };

  const show = (pins: Record<string, string>) => {
    const mapped = mapFace(data.profile, { pins });
    const face = data.seed === null ? mapped : varyFace(mapped, data.seed);
    const text = toFaceString(face);
    if (preview !== null) {
      preview.src = `/face/art/${text}.svg`;
      preview.alt = `Face: ${PARAM_KEYS.filter((k) => face.params[k].tag !== 'none')
        .map((k) => `${face.params[k].name} ${face.params[k].tag}`)
        .join(', ')}`;
    }
    if (faceString !== null) faceString.textContent = text;
    if (notion !== null) notion.href = toNotionFaceUrl(face);
    for (const key of PARAM_KEYS) {
      const reason = form.querySelector(`[data-reason="${key}"]`);
      const tag = form.querySelector(`[data-tag="${key}"]`);
      if (reason !== null) reason.textContent = face.params[key].reason;
      if (tag !== null) tag.textContent = face.params[key].tag;
    }
    document.body.dataset.face = text;
  };

  form.addEventListener('change', () => {
    const pins = currentPins();
    show(pins);
    const body = new URLSearchParams();
    new FormData(form).forEach((value, name) => {
      if (typeof value === 'string') body.append(name, value);
    });
    saving = saving.then(async () => {
      if (status !== null) status.textContent = 'Saving…';
      try {
        const response = await fetch('/face/pins', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body,
          credentials: 'same-origin',
        });
        if (status !== null) {
          status.textContent = response.ok
            ? 'Pins saved.'
            : (((await response.json().catch(() => null)) as { error?: string } | null)?.error ??
              'Saving failed.');
        }
      } catch {
        if (status !== null) status.textContent = 'Saving failed: offline?';
      }
    });
  });
}
