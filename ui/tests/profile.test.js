import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formFrom, validateProfile, validateConnection, toInput, secretStateKey, profileDetail } from '../lib/profile.js';

const good = () => ({ ...formFrom(null), name: '华东门店', app_id: 'wx1234567890abcdef', oa_wechat_id: 'shop_cs', secret: 's3cret' });

test('a complete form passes', () => {
  assert.deepEqual(validateProfile(good()), {});
});

test('each bad field gets its own message', () => {
  assert.deepEqual(validateProfile({ ...good(), name: ' ' }), { name: 'profile.err.name' });
  assert.deepEqual(validateProfile({ ...good(), app_id: 'wx123' }), { app_id: 'profile.err.appId' });
  assert.deepEqual(validateProfile({ ...good(), oa_wechat_id: '1shop' }), { oa_wechat_id: 'profile.err.oaWechatId' });
  assert.deepEqual(validateProfile({ ...good(), secret: '' }), { secret: 'profile.err.secret' });
  assert.deepEqual(validateProfile({ ...good(), api_base: 'gateway.corp' }), { api_base: 'profile.err.url' });
  assert.deepEqual(validateProfile({ ...good(), proxy: '127.0.0.1:8080' }), { proxy: 'profile.err.proxy' });
  assert.deepEqual(validateProfile({ ...good(), proxy: 'socks5://127.0.0.1:1080' }), {});
  const relay = { ...good(), token_kind: 'relay', relay_url: 'ftp://x', secret: '' };
  assert.deepEqual(validateProfile(relay), { relay_url: 'profile.err.url' }, 'a relay needs no AppSecret');
});

test('editing may keep the stored secret; names are unique', () => {
  assert.deepEqual(validateProfile({ ...good(), id: 'p1', secret: '' }, [], true), {});
  const others = [{ id: 'p2', name: '华东门店' }];
  assert.deepEqual(validateProfile({ ...good(), id: 'p1' }, others), { name: 'profile.err.nameTaken' });
  assert.deepEqual(validateProfile({ ...good(), id: 'p2' }, others), {});
});

test('forms round-trip saved profiles and become command input without the secret', () => {
  const saved = { id: 'p1', name: 'A', app_id: 'wx1234567890abcdef', oa_wechat_id: 'shop_cs', token: { kind: 'relay', url: 'https://r/t' }, api_base: null };
  const f = formFrom(saved);
  assert.equal(f.token_kind, 'relay');
  assert.equal(f.relay_url, 'https://r/t');
  assert.equal(f.secret, '');
  const input = toInput({ ...f, api_base: '  ', proxy: ' http://p:1 ' });
  assert.deepEqual(input, {
    id: 'p1',
    platform: 'mp',
    name: 'A',
    app_id: 'wx1234567890abcdef',
    oa_wechat_id: 'shop_cs',
    corp_id: '',
    callback_relay: null,
    token_kind: 'relay',
    relay_url: 'https://r/t',
    api_base: null,
    proxy: 'http://p:1',
  });
  assert.ok(!('secret' in input));
  assert.equal(toInput(formFrom(null)).id, null);
  assert.equal(secretStateKey('keyring'), 'profile.secret.keyring');
  assert.equal(secretStateKey('weird'), 'profile.secret.unknown');
});

test('a connection test needs no name or WeChat ID, but a secret for a new profile', () => {
  assert.deepEqual(validateConnection({ ...good(), name: '', oa_wechat_id: '' }), {});
  assert.deepEqual(validateConnection({ ...good(), secret: '' }), { secret: 'profile.err.secret' });
  assert.deepEqual(validateConnection({ ...good(), id: 'p1', secret: '' }), {}, 'a saved profile tests with its stored secret');
  assert.deepEqual(validateConnection({ ...good(), app_id: 'x' }), { app_id: 'profile.err.appId' });
});

test('a WeCom corp needs a CorpID and the app secret, not an AppID or WeChat ID', () => {
  const corp = { ...formFrom(null, 'wecom'), name: '集团客服', corp_id: 'ww1234567890abcdef', secret: 's' };
  assert.deepEqual(validateProfile(corp), {});
  assert.deepEqual(validateProfile({ ...corp, corp_id: 'wx1234567890abcdef' }), {}, 'older corps start with wx');
  assert.deepEqual(validateProfile({ ...corp, corp_id: 'ww123' }), { corp_id: 'profile.err.corpId' });
  assert.deepEqual(validateProfile({ ...corp, secret: '' }), { secret: 'profile.err.corpSecret' });
  assert.deepEqual(validateConnection({ ...corp, name: '' }), {});
  const input = toInput({ ...corp, app_id: 'wx1234567890abcdef' });
  assert.equal(input.platform, 'wecom');
  assert.equal(input.corp_id, 'ww1234567890abcdef');
  assert.equal(input.app_id, '', 'fields of the other platform are not sent');
  const saved = { id: 'p9', platform: 'wecom', name: '集团客服', corp_id: 'ww1234567890abcdef', token: { kind: 'app_secret' } };
  assert.equal(formFrom(saved).platform, 'wecom');
  assert.equal(formFrom(saved).corp_id, 'ww1234567890abcdef');
  assert.equal(profileDetail(saved), 'ww1234567890abcdef');
  assert.deepEqual(validateProfile({ ...corp, callback_relay: 'relay.corp' }), { callback_relay: 'profile.err.url' });
  assert.deepEqual(validateProfile({ ...corp, callback_relay: 'http://relay.corp/kf' }), { callback_relay: 'profile.err.plainHttp' });
  assert.deepEqual(validateProfile({ ...corp, api_base: 'http://127.0.0.1:9001' }), {}, 'http to this computer is fine');
  assert.deepEqual(validateProfile({ ...corp, api_base: 'http://qyapi.corp' }), { api_base: 'profile.err.plainHttp' });
  assert.equal(toInput({ ...corp, callback_relay: ' https://relay.corp/kf ' }).callback_relay, 'https://relay.corp/kf');
  assert.equal(toInput(corp).callback_relay, null, 'none when empty');
  assert.equal(formFrom({ ...saved, callback_relay: 'https://r' }).callback_relay, 'https://r');
  assert.equal(profileDetail({ platform: 'mp', app_id: 'wx1', oa_wechat_id: 'shop' }), 'wx1 · @shop');
});
