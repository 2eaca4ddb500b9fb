// Pages whose features come in later versions say so plainly.
import { h, mount } from '../lib/dom.js';
import { t } from '../i18n.js';

export function make(name) {
  return {
    render(root) {
      mount(root, h('section', { class: 'page', id: `${name}-page` },
        h('header', { class: 'page-head' }, h('h1', {}, t(`nav.${name}`))),
        h('p', { class: 'placeholder' }, t(`placeholder.${name}`))));
    },
  };
}
