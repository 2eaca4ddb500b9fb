import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../i18n/en.js';
import zh from '../i18n/zh-CN.js';
import { t, setLang, initialLang, normalizeLang } from '../i18n.js';

test('both catalogues have exactly the same keys and no empty strings', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [k, v] of [...Object.entries(en), ...Object.entries(zh)]) assert.ok(v.trim(), `${k} is empty`);
});

test('placeholders are the same in both languages', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(en)) assert.deepEqual(names(zh[k]), names(en[k]), k);
});

test('t fills placeholders and falls back to the key', () => {
  setLang('en');
  assert.equal(t('binding.bound', { wx: 'abc' }), 'Bound: abc');
  assert.equal(t('no.such.key'), 'no.such.key');
  setLang('zh-CN');
  assert.equal(t('nav.agents'), '客服');
});

test('a saved choice wins over the OS language, which wins over the web view', () => {
  const store = (v) => ({ getItem: () => v });
  assert.equal(initialLang(store('en'), 'zh-CN', 'zh-CN'), 'en');
  assert.equal(initialLang(store(null), 'zh-CN', 'en-US'), 'zh-CN');
  assert.equal(initialLang(store('klingon'), undefined, 'en-GB'), 'en');
  assert.equal(normalizeLang('zh_TW'), 'zh-CN');
  assert.equal(normalizeLang(''), 'en');
});

test('setLang remembers the choice', () => {
  const saved = {};
  setLang('en', {
    setItem: (k, v) => {
      saved[k] = v;
    },
  });
  assert.equal(saved['kefudesk.lang'], 'en');
});
