// The Sessions page's agents: each online agent's sessions, with message, transfer and close.
import { h } from '../../../lib/dom.js';
import { formatDuration, onlineLabel } from '../../../lib/format.js';
import { highlightedSessions, sessionKey } from '../../../lib/mp/sessions.js';
import { t } from '../../../i18n.js';
import { tableSort, sortTh } from '../../common.js';
import { sortRows } from '../../../lib/sort.js';
import { view, ui, nowSecs, nick, customerKey } from './state.js';
import { panelIn, openPanel, panel, transfer } from './panel.js';
import { customerCell } from './customers.js';

// Each agent's sessions sort as chosen last (kept across restarts): the longest first at start.
const sessionSort = tableSort('sessions', ['customer', 'age'], { key: 'age', desc: true });
const SESSION_COLUMNS = { customer: (s) => customerKey(s.openid), age: (s) => -s.createtime };

export function agentsCard(d) {
  const marked = ui.diff ? highlightedSessions(ui.diff) : new Set();
  const now = nowSecs();
  return h(
    'div',
    { class: 'card wide', id: 'agent-sessions' },
    h('h2', {}, t('sessions.agents')),
    d.agents.length === 0 && h('p', { class: 'empty' }, t('sessions.agents.none')),
    d.agents.map((a) =>
      h(
        'div',
        { class: 'agent-block', key: `agent:${a.kf_account}`, dataset: { account: a.kf_account } },
        h(
          'div',
          { class: 'agent-head' },
          h('strong', { class: 'nick' }, a.nickname || a.kf_account),
          h('span', { class: 'account' }, a.kf_account),
          h('span', { class: 'load' }, t('sessions.agent.load', { status: onlineLabel(a.status, t), accepted: a.accepted_case, limit: a.auto_accept })),
          h(
            'button',
            { type: 'button', class: 'link message-agent', onclick: () => openPanel('agent', 'message', a.kf_account, '') },
            t('sessions.messageAgent'),
          ),
        ),
        panelIn('agent', a.kf_account, null),
        a.sessions.length === 0
          ? h('p', { class: 'hint' }, t('sessions.agent.noSessions'))
          : h(
              'table',
              { class: 'grid sessions' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  sortTh(sessionSort, 'customer', t('sessions.col.customer'), () => view.draw()),
                  sortTh(sessionSort, 'age', t('sessions.col.age'), () => view.draw()),
                  h('th', {}),
                ),
              ),
              h(
                'tbody',
                {},
                sortRows(a.sessions, sessionSort.get(), SESSION_COLUMNS).map((s) => [
                  h(
                    'tr',
                    {
                      key: `session:${a.kf_account}:${s.openid}`,
                      dataset: { openid: s.openid },
                      class: marked.has(sessionKey(a.kf_account, s.openid)) ? 'changed' : null,
                    },
                    h('td', { class: 'customer' }, customerCell(s.openid)),
                    h('td', { class: 'age', dataset: { since: s.createtime } }, formatDuration(now - s.createtime, t)),
                    h('td', { class: 'row-actions' }, sessionButtons(a.kf_account, s.openid, 'session')),
                  ),
                  ui.panel?.place === 'session' &&
                    ui.panel.agent === a.kf_account &&
                    ui.panel.openid === s.openid &&
                    h('tr', { class: 'action-row' }, h('td', { colspan: 3 }, panel())),
                ]),
              ),
            ),
      ),
    ),
  );
}

export function sessionButtons(agent, openid, place) {
  return [
    h('button', { type: 'button', class: 'link message', onclick: () => openPanel(place, 'message', agent, openid) }, t('sessions.message')),
    h('button', { type: 'button', class: 'link transfer', onclick: () => openPanel(place, 'transfer', agent, openid) }, t('sessions.transfer')),
    h('button', { type: 'button', class: 'link danger close', onclick: () => openPanel(place, 'close', agent, openid) }, t('sessions.close')),
  ];
}
