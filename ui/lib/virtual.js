// Virtualised lists: which rows to put in the DOM for a scroll position, and which pages of
// rows to ask the app for. Pure functions, unit-tested under node.

/**
 * The rows to render: [first, end) with `overscan` rows either side of the viewport.
 * @returns {{first: number, end: number}}
 */
export function visibleRange(scrollTop, viewportHeight, rowHeight, total, overscan = 10) {
  if (total <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first: Math.min(top, total), end: Math.max(end, Math.min(top, total)) };
}

/** Page indices (of `pageSize` rows) covering [first, end). */
export function pagesFor(first, end, pageSize) {
  if (end <= first) return [];
  const pages = [];
  for (let p = Math.floor(first / pageSize); p * pageSize < end; p++) pages.push(p);
  return pages;
}

/**
 * Pages of rows fetched for one search; a new search starts empty. `get(i)` is the row or
 * undefined while its page loads.
 */
export class RowCache {
  constructor(pageSize = 200, maxPages = 50) {
    this.pageSize = pageSize;
    this.maxPages = maxPages;
    this.key = null;
    this.pages = new Map();
    this.loading = new Set();
  }

  /** Forgets everything when the search (or the result) changes. */
  reset(key) {
    if (key === this.key) return;
    this.key = key;
    this.pages.clear();
    this.loading.clear();
  }

  get(i) {
    return this.pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize];
  }

  /** Pages needed for [first, end) that are neither here nor on their way. */
  missing(first, end) {
    return pagesFor(first, end, this.pageSize).filter((p) => !this.pages.has(p) && !this.loading.has(p));
  }

  /** Loads `page` with `fetchPage(offset, limit) → rows`; ignored if the key changed meanwhile. */
  async load(page, fetchPage) {
    const key = this.key;
    this.loading.add(page);
    try {
      const rows = await fetchPage(page * this.pageSize, this.pageSize);
      if (key !== this.key) return false;
      this.pages.set(page, rows);
      // Keep memory bounded: drop the pages loaded longest ago.
      while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value);
      return true;
    } finally {
      if (key === this.key) this.loading.delete(page);
    }
  }
}
