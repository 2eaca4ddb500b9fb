// The UI's language: picks the catalogue, formats strings, remembers the user's choice.
import en from './i18n/en.js';
import zhCN from './i18n/zh-CN.js';

export const LANGS = { 'zh-CN': zhCN, en };
export const LANG_NAMES = { 'zh-CN': '简体中文', en: 'English' };
const STORAGE_KEY = 'kefudesk.lang';

/** @type {'zh-CN'|'en'} */
let current = 'zh-CN';

/** 'zh-CN' for any Chinese tag, 'en' otherwise. */
export function normalizeLang(tag) {
  return String(tag || '')
    .toLowerCase()
    .startsWith('zh')
    ? 'zh-CN'
    : 'en';
}

/** The saved choice, else the OS language reported by Rust, else the web view's. */
export function initialLang(storage, osLang, navigatorLang) {
  const saved = storage?.getItem?.(STORAGE_KEY);
  if (saved && LANGS[saved]) return saved;
  return normalizeLang(osLang || navigatorLang);
}

export function setLang(lang, storage) {
  current = lang === 'zh-CN' ? 'zh-CN' : 'en';
  storage?.setItem?.(STORAGE_KEY, current);
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

/** The page's language. @returns {'zh-CN'|'en'} */
export function lang() {
  return current;
}

/** Looks `key` up and fills `{name}` placeholders; an unknown key shows itself. */
export function t(key, params = {}) {
  const s = LANGS[current][key] ?? LANGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}
