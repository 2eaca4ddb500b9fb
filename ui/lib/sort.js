// Column sorting shared by every table: which column, which way, kept per table across restarts.

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });

const empty = (v) => v === null || v === undefined || v === '';

/**
 * Compares two cell values the way people read them: numbers by size, text by the collator
 * (numbers inside by value, case ignored), arrays item by item, empty last.
 */
export function compareValues(a, b) {
  if (empty(a) || empty(b)) return Number(empty(a)) - Number(empty(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * `rows` ordered by `sort.key` (a key of `columns`: row → value), `sort.desc` reversing it;
 * ties keep their original order (also when reversed), empty values go last either way.
 * An unknown key leaves the order as it is. Never mutates `rows`.
 */
export function sortRows(rows, sort, columns) {
  const value = sort && columns[sort.key];
  if (!value) return [...rows];
  const sign = sort.desc ? -1 : 1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((x, y) => {
      if (empty(x.v) || empty(y.v)) return Number(empty(x.v)) - Number(empty(y.v)) || x.i - y.i;
      return sign * compareValues(x.v, y.v) || x.i - y.i;
    })
    .map((x) => x.row);
}

/** The sort after a click on column `key`: the same column flips, another starts ascending. */
export function nextSort(sort, key) {
  return sort?.key === key ? { key, desc: !sort.desc } : { key, desc: false };
}

/** The `aria-sort` of a column header. */
export function ariaSort(sort, key) {
  if (sort?.key !== key) return null;
  return sort.desc ? 'descending' : 'ascending';
}

/** A saved sort read back, `fallback` when missing, damaged or for a column that is gone. */
export function readSort(storage, name, keys, fallback) {
  try {
    const v = JSON.parse(storage.getItem(`kefudesk.sort.${name}`) || 'null');
    if (v && keys.includes(v.key)) return { key: v.key, desc: Boolean(v.desc) };
  } catch {
    /* a damaged entry: the default */
  }
  return { ...fallback };
}

export function writeSort(storage, name, sort) {
  try {
    storage.setItem(`kefudesk.sort.${name}`, JSON.stringify({ key: sort.key, desc: Boolean(sort.desc) }));
  } catch {
    /* storage full or off: the sort lasts this run */
  }
}
