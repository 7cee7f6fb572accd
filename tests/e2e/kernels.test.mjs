// The engine's byte kernels (crates/kernels) have WebAssembly SIMD code of their own (lowering a
// dictionary's bytes sixteen at a time for `contains`, `has` and `has_any`), which no native
// test runs. Here the app's query worker answers string predicates over text chosen to trip
// such code (letters at every lane, the bytes just outside 'A'..'Z' and 'a'..'z', non-ASCII
// letters, a chunk's tail) and must agree with the native release binary, whose byte loops the
// Rust tests check against the plain definitions.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { siteForSuite, ROOT } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

const STRINGS = [
  'ZZZZZZZZZZZZZZZ@[`{AZaz@[`{ZZZZZZZZZZZZZZZZ',
  'https://CONTOSO-LOGIN.example/a?x=1',
  'xxxxxxxxxxxxxxxLogin',
  'ÉCOLE école straße LOGIN',
  'contoso-logi',
  'sign in SIGNIN Signin',
  '',
  'a',
  'QRSTUVWXYZ qrstuvwxyz ABCDEFGHIJKLMNOP',
];
const QUERY =
  `datatable(s: string)[${STRINGS.map((x) => JSON.stringify(x)).join(', ')}]` +
  ' | summarize C = countif(s contains "login"), H = countif(s has "login"), A = countif(s has_any ("signin", "école", "xyz")),' +
  ' E = countif(s contains "é"), Z = countif(s contains "z@[`{az"), B = countif(s contains "@[`{"), L = countif(s contains "z@{"),' +
  ' N = countif(s !contains "contoso-login"), P = countif(s contains "pqrstuvwxyz"), Q = countif(s contains "mnop")';

describe('string predicates over a dictionary in the browser', () => {
  const site = siteForSuite();

  test('contains, has and has_any count the rows the native build counts', async () => {
    const { s, page } = site;
    await gotoHome(page, s.site.url);
    await page.locator('#lesson-picker').selectOption('playground');
    await page.locator('#query').waitFor();
    await typeQuery(page, QUERY);
    await runWithKeyboard(page);
    await page.locator('.grid').waitFor();
    const cells = (await page.locator('.grid .grid-row').first().locator('.grid-td').allTextContents()).map((c) => c.trim());
    await s.screenshot('kernels-string-predicates');
    const bin = join(process.env.CARGO_TARGET_DIR || join(ROOT, 'target'), 'release', 'kqlab');
    assert.ok(existsSync(bin), `the native release binary ${bin} is built`);
    const native = execFileSync(bin, ['query', '--format', 'csv', QUERY], { encoding: 'utf8' }).trim().split('\n')[1].split(',');
    assert.deepEqual(cells, native, 'wasm and native count differently');
    // The counts themselves, so a change on both sides does not pass unnoticed.
    assert.deepEqual(native, ['3', '2', '2', '1', '1', '1', '0', '8', '0', '1']);
  });
});
