// Tiny DOM builder: every text goes in as a text node, so data from WeChat is never HTML.

/**
 * h('td', {class: 'x', dataset: {id: 1}, onclick: fn}, 'text', childNode, [more])
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Replaces the children of `el` as `mount` does, keeping the scroll positions of `el` and of
 * every element marked `data-scroll="<name>"` (a refresh must not move what the user scrolled to).
 */
export function remount(el, ...children) {
  const scrolled = [el, ...el.querySelectorAll('[data-scroll]')].map((x) => [x === el ? null : x.dataset.scroll, x.scrollTop, x.scrollLeft]);
  mount(el, ...children);
  for (const [name, top, left] of scrolled) {
    const x = name === null ? el : el.querySelector(`[data-scroll="${CSS.escape(name)}"]`);
    if (x) Object.assign(x, { scrollTop: top, scrollLeft: left });
  }
}

/**
 * Notes where the keyboard focus is inside `root`, so that `restore()` can put it back after a
 * redraw replaced the DOM: on the control with the same id, or (for controls without one, such as
 * copy buttons and row actions) on the control at the same place with the same tag and accessible
 * name; the caret of a text field too. A page that refreshes itself must not send a keyboard user
 * back to the top.
 */
export function focusWithin(root) {
  const active = document.activeElement;
  if (!active || active === root || !root.contains(active)) return { restore() {} };
  const path = [];
  for (let e = active; e !== root; e = e.parentElement) path.unshift([...e.parentElement.children].indexOf(e));
  const { id, tagName, selectionStart: start, selectionEnd: end } = /** @type {HTMLInputElement} */ (active);
  const name = active.getAttribute('aria-label');
  return {
    restore() {
      let el = id ? root.querySelector(`#${CSS.escape(id)}`) : path.reduce((e, i) => e?.children[i], root);
      if (!id && el && (el.tagName !== tagName || el.getAttribute('aria-label') !== name)) el = null;
      if (!el || el === document.activeElement) return;
      el.focus({ preventScroll: true });
      if (typeof start === 'number' && typeof el.setSelectionRange === 'function') el.setSelectionRange(start, end);
    },
  };
}
