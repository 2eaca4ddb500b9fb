// The kf account a WeCom page works on: one select shared by the Links and Servicers pages,
// remembered across refreshes and restarts, preset when another page opens this one for an
// account. Accounts are shown by name; the open_kfid sits beside in grey.
import * as api from '../../api.js';
import { h } from '../../lib/dom.js';
import { t } from '../../i18n.js';
import { idChip } from '../common.js';

const KEY = 'kefudesk.wecom.account';

/** Loads the accounts and picks the one to show: `params` first, then the remembered one. */
export async function loadChoice(ctx) {
  const accounts = await api.listKfAccounts();
  const wanted = ctx.params?.open_kfid ?? window.localStorage.getItem(KEY);
  const chosen = accounts.find((a) => a.open_kfid === wanted) ?? accounts[0] ?? null;
  if (chosen) window.localStorage.setItem(KEY, chosen.open_kfid);
  return { accounts, chosen };
}

/** The select; `onChange(account)` after the choice is remembered. */
export function accountSelect(choice, onChange) {
  if (!choice.accounts.length) return h('p', { class: 'empty' }, t('kf.empty'));
  return h(
    'div',
    { class: 'account-choice' },
    h('label', { for: 'kf-choice' }, t('kf.choose')),
    h(
      'select',
      {
        id: 'kf-choice',
        onchange: (e) => {
          choice.chosen = choice.accounts.find((a) => a.open_kfid === e.target.value) ?? null;
          if (choice.chosen) window.localStorage.setItem(KEY, choice.chosen.open_kfid);
          onChange(choice.chosen);
        },
      },
      choice.accounts.map((a) => h('option', { value: a.open_kfid, selected: a.open_kfid === choice.chosen?.open_kfid }, a.name)),
    ),
    choice.chosen && idChip(choice.chosen.open_kfid, choice.chosen.name),
  );
}
