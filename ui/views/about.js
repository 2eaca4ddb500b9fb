// Settings → About: the version, the app's licence, and every open-source component with its
// licence (Rust crates and vendored UI libraries, from the generated ui/licences.js, loaded
// when first shown).
import { h } from '../lib/dom.js';
import { t } from '../i18n.js';

let shown = false;
let data = null;
let filter = '';

/** The card; `redraw` draws the page again. `version` is the app's. */
export function aboutCard(version, redraw) {
  const toggle = async () => {
    shown = !shown;
    if (shown && !data) data = await import('../licences.js');
    redraw();
    if (shown) document.getElementById('licences-search')?.focus();
  };
  return h(
    'div',
    { class: 'card', id: 'about-card' },
    h('h2', {}, t('about.title')),
    h('p', {}, t('about.line', { version })),
    h('p', { class: 'hint' }, t('about.licence')),
    h(
      'button',
      { type: 'button', class: 'btn', id: 'show-licences', 'aria-expanded': String(shown), 'aria-controls': 'licences', onclick: toggle },
      t(shown ? 'about.hide' : 'about.show'),
    ),
    shown && data && list(),
  );
  function list() {
    const textOf = new Map(data.licences.flatMap((l) => l.crates.map((c) => [c, l])));
    const none = h('p', { class: 'hint', id: 'licences-none', hidden: true }, t('about.none'));
    const items = [
      ...data.vendored.map((v) => component(v.name, v.version, v.license, v.text)),
      ...data.crates.map((c) => component(c.name, c.version, c.license, textOf.get(`${c.name} ${c.version}`)?.text)),
    ];
    // Filtering hides rows in place (no redraw), so typing keeps its place in the box: the rows
    // of the list on screen (`box` until it is shown; a redraw may keep the old one).
    const apply = (where) => {
      const q = filter.trim().toLowerCase();
      let visible = 0;
      for (const li of /** @type {NodeListOf<HTMLElement>} */ (where.querySelectorAll('li[data-component]'))) {
        li.hidden = !!q && !li.dataset.search.includes(q);
        if (!li.hidden) visible += 1;
      }
      where.querySelector('#licences-none').hidden = visible > 0;
    };
    const box = h(
      'div',
      { id: 'licences' },
      h('p', { class: 'hint' }, t('about.count', { crates: data.crates.length, ui: data.vendored.length })),
      h('input', {
        type: 'search',
        id: 'licences-search',
        value: filter,
        placeholder: t('about.search'),
        'aria-label': t('about.search'),
        oninput: (e) => {
          filter = e.target.value;
          apply(e.target.closest('#licences'));
        },
      }),
      h('ul', { class: 'licence-list', 'aria-label': t('about.components') }, items),
      none,
    );
    apply(box);
    return box;
  }
}

function component(name, version, license, text) {
  return h(
    'li',
    { dataset: { component: name, search: `${name} ${version} ${license}`.toLowerCase() } },
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h('span', { class: 'c-name' }, name),
        ' ',
        h('span', { class: 'c-version' }, version),
        ' — ',
        h('span', { class: 'c-licence' }, license),
      ),
      text && h('pre', { class: 'licence-text' }, text),
    ),
  );
}
