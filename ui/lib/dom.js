// Tiny DOM builder: every text goes in as a text node, so data from WeChat is never HTML; and
// `mount`, which puts a freshly built tree on screen by changing only what differs.
import morphdom from '../vendor/morphdom/morphdom-esm.js';

/**
 * The event handlers of each element built by `h`, by event type. An element listens through
 * `dispatch`, which calls the handler of the tree drawn last: `mount` keeps the element on screen
 * and hands it the new tree's handlers (which close over the new data).
 * @type {WeakMap<Element, Record<string, (e: Event) => unknown>>}
 */
const handlers = new WeakMap();
/** @type {WeakMap<Element, Set<string>>} */
const listening = new WeakMap();

/** @this {Element} @param {Event} e */
function dispatch(e) {
  return handlers.get(this)?.[e.type]?.call(this, e);
}

function listen(el, type) {
  let types = listening.get(el);
  if (!types) listening.set(el, (types = new Set()));
  if (types.has(type)) return;
  types.add(type);
  el.addEventListener(type, dispatch);
}

function on(el, type, fn) {
  listen(el, type);
  handlers.set(el, { ...handlers.get(el), [type]: fn });
}

/**
 * h('td', {class: 'x', dataset: {id: 1}, key: 'row-1', onclick: fn}, 'text', childNode, [more])
 * (`key` names the element among redraws; see `mount`)
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'key') el.dataset.key = String(v);
    else if (k.startsWith('on') && typeof v === 'function') on(el, k.slice(2), v);
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

/**
 * Makes the children of `el` those given, changing only what differs from what is on screen
 * (morphdom): an element that is still there keeps its focus, caret, scroll position, typed text
 * and loaded picture, so a view may redraw its whole page whenever its data changes. Elements
 * match by `id` or `key` (use a key on rows of a list that can change order), else by position.
 * A `<select>` whose new options mark none `selected` keeps what the user chose, and a
 * `<details>` stays open or closed as the user left it. The focused element keeps the focus.
 */
export function mount(el, ...children) {
  const next = /** @type {HTMLElement} */ (el.cloneNode(false));
  append(next, children);
  const focused = /** @type {HTMLInputElement} */ (document.activeElement);
  const inside = focused !== el && el.contains(focused);
  const caret = inside && typeof focused.selectionStart === 'number' ? [focused.selectionStart, focused.selectionEnd] : null;
  morphdom(el, next, { childrenOnly: true, getNodeKey, onBeforeElUpdated, onElUpdated });
  // A kept element that moved (a row sorted elsewhere) lost the focus on the way: give it back.
  if (inside && focused.isConnected && document.activeElement !== focused) {
    focused.focus({ preventScroll: true });
    if (caret) focused.setSelectionRange(caret[0], caret[1]);
  }
}

function getNodeKey(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return undefined;
  return node.id || node.getAttribute('data-key') || undefined;
}

/** The value of selects that leave the choice to the user, while their element is updated. */
const chosen = new WeakMap();

function onBeforeElUpdated(from, to) {
  const next = handlers.get(to);
  if (next) {
    for (const type of Object.keys(next)) listen(from, type);
    handlers.set(from, next);
  } else handlers.delete(from);
  if (from.tagName === 'SELECT') {
    const marked = /** @type {HTMLOptionElement|null} */ (to.querySelector('option[selected]'));
    if (!marked) chosen.set(from, from.value);
    else if (marked.value !== from.value) {
      // The page puts back a choice the user changed (a switch not confirmed): a new control,
      // since WebKit would not report choosing the same option again on the old one.
      from.replaceWith(to);
      return false;
    }
  }
  // A folded section stays as the user left it; `open` in a new tree only starts one.
  if (from.tagName === 'DETAILS') /** @type {HTMLDetailsElement} */ (to).open = /** @type {HTMLDetailsElement} */ (from).open;
  return true;
}

function onElUpdated(el) {
  if (!chosen.has(el)) return;
  el.value = chosen.get(el);
  chosen.delete(el);
  if (el.selectedIndex === -1 && el.options.length) el.selectedIndex = 0;
}
