// Pure logic of the WeCom pages: account name and scene checks (mirroring Rust, which stays
// the authority), parsing the servicers box, summarising per-person results, status words.

/** A kf account name: 1 to 16 characters. @returns {string|null} message key */
export function accountNameError(name) {
  const n = [...String(name ?? '').trim()].length;
  return n === 0 || n > 16 ? 'kf.err.name' : null;
}

/** A scene: at most 32 bytes of [0-9a-zA-Z_-] (empty = none). @returns {string|null} message key */
export function sceneError(scene) {
  return /^[0-9A-Za-z_-]{0,32}$/.test(String(scene ?? '').trim()) ? null : 'kf.err.scene';
}

/**
 * UserIDs typed or pasted: separated by commas, spaces, semicolons or new lines (Chinese
 * punctuation too), trimmed, each once, in the order given.
 */
export function parseUserids(text) {
  const seen = new Set();
  const out = [];
  for (const u of String(text ?? '').split(/[\s,，;；、]+/)) {
    if (u && !seen.has(u)) {
      seen.add(u);
      out.push(u);
    }
  }
  return out;
}

/** Counts of per-item outcomes: {done, unchanged, failed}. */
export function summarise(outcomes) {
  const c = { done: 0, unchanged: 0, failed: 0 };
  for (const o of outcomes) c[o.outcome] = (c[o.outcome] ?? 0) + 1;
  return c;
}

/** Who a servicer row is: the name from the directory, else the UserID or "department N". */
export function servicerLabel(row, t) {
  if (row.userid) return row.name ?? row.userid;
  return row.name ?? t('servicers.department', { id: row.department_id });
}

/** Sorts servicers: people before departments, receiving first, then by label. */
export function sortServicers(rows, t) {
  const rank = (r) => (r.userid ? ({ receiving: 0, paused: 1, stopped: 2 }[r.status] ?? 3) : 4);
  return [...rows].sort((a, b) => rank(a) - rank(b) || servicerLabel(a, t).localeCompare(servicerLabel(b, t), 'zh-CN'));
}
