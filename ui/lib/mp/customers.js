// Customers as people: WeChat's customer-service API names a customer by openid only, so the
// page names them by the staff's own note, else by what they last wrote, and only then by a
// shortened openid (the full one sits grey beside, with a copy button). Pure functions.

/** Longest last-words snippet in a sentence. */
const SNIPPET = 12;

/** `text` cut to `n` characters (whole characters, not bytes) with an ellipsis. */
export function snippet(text, n = SNIPPET) {
  const chars = [...(text ?? '').replace(/\s+/g, ' ').trim()];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : chars.join('');
}

/** The first characters of an openid, enough to tell two apart at a glance. */
export function shortId(openid) {
  return openid.length > 8 ? `${openid.slice(0, 6)}…` : openid;
}

/**
 * How a sentence names a customer: their note quoted the language's way (「…」 or “…”), else
 * the customer who wrote “…”, else the short openid. `notes` by openid; `words` by openid
 * ({text, time}).
 */
export function customerName(openid, notes, words, t) {
  const note = notes?.[openid];
  if (note) return t('customer.named', { note });
  const said = words?.[openid]?.text;
  if (said) return t('customer.whoWrote', { text: snippet(said) });
  return shortId(openid);
}

/** A note as the server takes it: trimmed, at most 40 characters on one line; or the rule broken. */
export function noteError(text) {
  const note = (text ?? '').trim();
  if ([...note].length > 40) return 'customer.note.tooLong';
  if (/[\u0000-\u001f\u007f]/.test(note)) return 'customer.note.oneLine';
  return null;
}
