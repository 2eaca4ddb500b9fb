// The avatar picker used on an agent's row and in the Add agent form: a picture file (dropped
// or chosen) → the 640×640 preview from the Rust pipeline, with crop nudges.
import * as api from '../api.js';
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';

const NUDGE_STEP = 0.25;
const EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'heic'];

/** A picker's state: the file, the crop nudge, the preview (or the error) and whether busy. */
export function pickerState(path = null) {
  return { path, nudge: { x: 0, y: 0 }, preview: null, error: null, busy: false };
}

/** Processes `p.path` for the preview; `redraw` is called before and after. */
export async function loadPreview(p, redraw) {
  p.busy = true;
  p.error = null;
  redraw();
  try {
    p.preview = await api.prepareAvatar(p.path, p.nudge);
  } catch (err) {
    p.preview = null;
    p.error = err;
  }
  p.busy = false;
  redraw();
}

/** Sets a new file (dropped or chosen) and previews it. */
export function setFile(p, path, redraw) {
  p.path = path;
  p.nudge = { x: 0, y: 0 };
  return loadPreview(p, redraw);
}

/** The native file dialog (tauri-plugin-dialog); null when cancelled. */
export async function chooseFile() {
  return api.chooseOpenPath(t('avatar.images'), EXTENSIONS);
}

/** The preview box (or drop hint). */
export function previewBox(p, id = 'avatar-preview') {
  const pv = p.preview;
  return h(
    'div',
    { class: `avatar-preview${p.busy ? ' busy' : ''}` },
    pv ? h('img', { src: pv.data_url, alt: t('avatar.preview'), id, width: 120, height: 120 }) : h('div', { class: 'drop-hint' }, t('avatar.dropHint')),
  );
}

/** Choose / nudge buttons and the size hint; `redraw` re-renders the owner. */
export function pickerControls(p, redraw, idPrefix = 'avatar') {
  const pv = p.preview;
  const wide = pv && pv.source_width > pv.source_height;
  const tall = pv && pv.source_height > pv.source_width;
  const nudge = (dx, dy, label, cls) =>
    h(
      'button',
      {
        type: 'button',
        class: `btn small ${cls}`,
        disabled: p.busy,
        onclick: () => {
          p.nudge = { x: Math.max(-1, Math.min(1, p.nudge.x + dx)), y: Math.max(-1, Math.min(1, p.nudge.y + dy)) };
          loadPreview(p, redraw);
        },
      },
      label,
    );
  return [
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        id: `${idPrefix}-choose`,
        disabled: p.busy,
        onclick: async () => {
          const path = await chooseFile();
          if (path) setFile(p, path, redraw);
        },
      },
      t('avatar.choose'),
    ),
    wide && [nudge(-NUDGE_STEP, 0, '←', 'nudge-left'), nudge(NUDGE_STEP, 0, '→', 'nudge-right')],
    tall && [nudge(0, -NUDGE_STEP, '↑', 'nudge-up'), nudge(0, NUDGE_STEP, '↓', 'nudge-down')],
    pv && h('span', { class: 'hint' }, t('avatar.size', { w: pv.source_width, h: pv.source_height, kb: Math.round(pv.bytes / 1024) })),
  ];
}
