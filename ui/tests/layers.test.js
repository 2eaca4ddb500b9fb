// The UI's layers: only api.js talks to Tauri (commands, dialogs, events, notifications), so
// every call the views make has one typed wrapper and the IPC tests reach the same commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = fileURLToPath(new URL('..', import.meta.url));

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'tests' || name === 'vendor' ? [] : sources(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

test('only api.js reaches window.__TAURI__', () => {
  const files = sources(ui).map((p) => relative(ui, p));
  assert.ok(files.includes('views/mp/records.js') && files.includes('app.js'), 'the scan sees the views');
  const offenders = files.filter((f) => f !== 'api.js' && readFileSync(join(ui, f), 'utf8').includes('__TAURI__'));
  assert.deepEqual(offenders, []);
});

test('every command a view calls goes through a wrapper that api.js exports', async () => {
  const api = readFileSync(join(ui, 'api.js'), 'utf8');
  const exported = new Set([...api.matchAll(/export (?:const|async function|function) (\w+)/g)].map((m) => m[1]));
  const used = new Set();
  for (const f of sources(ui)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bapi\.(\w+)\(/g)) used.add(m[1]);
  }
  const missing = [...used].filter((name) => !exported.has(name));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 20, `the views use ${used.size} wrappers`);
});

test('every UI module parses as a module (a name declared twice, a bad import list…)', () => {
  // The web view would refuse the whole app at start-up for one such error.
  for (const f of sources(ui)) {
    assert.doesNotThrow(() => execFileSync(process.execPath, ['--check', f], { stdio: 'pipe' }), relative(ui, f));
  }
});

test('every relative import names a file that exists and a name it exports', () => {
  // No bundler checks the module graph: a moved file or a renamed export would only show as a
  // blank page in the web view.
  const problems = [];
  for (const f of sources(ui)) {
    const src = readFileSync(f, 'utf8');
    const specs = [
      ...[...src.matchAll(/import\s*(?:\{([^}]*)\}\s*from\s*)?(?:\*\s+as\s+\w+\s+from\s*)?'(\.[^']+)'/g)].map((m) => [m[2], m[1]]),
      ...[...src.matchAll(/await\s+import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => [m[1], undefined]),
    ];
    for (const [spec, names] of specs) {
      const target = join(dirname(f), spec);
      if (!existsSync(target)) {
        problems.push(`${relative(ui, f)}: ${spec} does not exist`);
        continue;
      }
      const exported = readFileSync(target, 'utf8');
      for (const name of (names ?? '')
        .split(',')
        .map((s) => s.trim().split(/\s+as\s+/)[0])
        .filter(Boolean)) {
        const declared = new RegExp(`export\\s+(?:const|let|async function|function|class)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b`);
        if (!declared.test(exported)) problems.push(`${relative(ui, f)}: ${spec} exports no ${name}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
