// The face studio in the browser: a pin change maps the face again with @spoti/face (the same
// mapFace and varyFace as the server), draws the preview here with the same Notionists art as
// the server (from the art data, loaded once and cached for good), updates reasons and links
// without a page load, and saves the pins. Without this script the same form posts and the page
// reloads.
import {
  type Face,
  type FacePins,
  type ListeningProfile,
  PARAM_KEYS,
  mapFace,
  toFaceString,
  toNotionFaceUrl,
  varyFace,
} from '@spoti/face';
import { type NotionistsArt, notionistsSvg } from '@spoti/face/notionists';

interface StudioData {
  readonly profile: ListeningProfile;
  readonly pins: FacePins;
  readonly seed: string | null;
  /** URL of the Notionists art data (immutable: its name is a hash of its bytes). */
  readonly art: string;
}

/** Loads the art data once; a failure is retried at the next pin change. */
function artLoader(url: string): () => Promise<NotionistsArt> {
  let loading: Promise<NotionistsArt> | null = null;
  return () => {
    loading ??= fetch(url, { credentials: 'same-origin' }).then((response) => {
      if (!response.ok) throw new Error(`art data: HTTP ${response.status}`);
      return response.json() as Promise<NotionistsArt>;
    });
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
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
  const art = artLoader(data.art);
  art().catch(() => undefined);
  let drawn = 0;

  // Draws the preview in the page; a later pin change wins over a slower earlier one.
  const draw = async (face: Face) => {
    const turn = ++drawn;
    try {
      const svg = notionistsSvg(face, await art());
      if (preview === null || turn !== drawn) return;
      preview.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      preview.dataset.face = toFaceString(face);
    } catch {
      if (status !== null) status.textContent = 'The preview could not be drawn: reload the page.';
    }
  };

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
      void draw(face);
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
