// The language worker: live errors, completion and Format are answered by a second worker
// running the same engine module as the query worker (web::lang), so the page's own module
// carries no parser or binder. These tests watch that worker's messages from inside it (a
// listener added with Playwright's worker.evaluate) and, to test stale answers, hold one of
// its answers back for a while (its postMessage wrapped); everything else is typed as a
// learner types.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, runWithKeyboard, settle, typeQuery } from './kqlab.mjs';

/** The language worker (its URL names its role), once it is there. */
async function langWorker(page) {
  for (let i = 0; i < 100; i++) {
    const w = page.workers().find((x) => x.url().includes('worker.js') && x.url().includes('role=lang'));
    if (w) return w;
    await page.waitForTimeout(50);
  }
  assert.fail(`no language worker among: ${page.workers().map((w) => w.url()).join(', ')}`);
}

/**
 * Records the kinds of question the language worker is asked (`Check`, `Complete`, `Format`)
 * in `self.__asked`, and lets a test hold back its next answer of one kind: set
 * `self.__hold = { kind: 'Errors', ms: 1500 }` (answer kinds: `Errors`, `Completions`,
 * `Formatted`).
 */
async function watch(worker) {
  await worker.evaluate(() => {
    if (self.__asked) return;
    self.__asked = [];
    self.__hold = null;
    self.addEventListener('message', (e) => {
      const lang = e.data && e.data.Lang;
      if (lang && lang.ask) self.__asked.push(Object.keys(lang.ask)[0]);
    });
    const post = self.postMessage.bind(self);
    self.postMessage = (message, transfer) => {
      const answer = message && message.reply && message.reply.Lang && message.reply.Lang.answer;
      const kind = answer && Object.keys(answer)[0];
      const send = () => (transfer === undefined ? post(message) : post(message, transfer));
      if (self.__hold && kind === self.__hold.kind) {
        const ms = self.__hold.ms;
        self.__hold = null;
        self.__held = (self.__held || 0) + 1;
        setTimeout(() => { send(); self.__released = (self.__released || 0) + 1; }, ms);
        return;
      }
      send();
    };
  });
}

const asked = (worker) => worker.evaluate(() => self.__asked.slice());
const underlines = (page) => page.locator('.editor-overlay .err');

async function openPlayground(page, url) {
  await gotoHome(page, url);
  await page.locator('#lesson-picker').selectOption('playground');
  await page.locator('.schema-pane').waitFor();
}

describe('the language worker', () => {
  const site = siteForSuite();

  test('live errors come from the language worker while the query worker runs a long query', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    const lang = await langWorker(page);
    await watch(lang);
    // Several seconds of work in the query worker.
    await typeQuery(page, 'range x from 1 to 8000000 step 1\n| extend s = strcat("k", x % 3000000)\n| summarize dcount(s)');
    await runWithKeyboard(page);
    const running = page.locator('.running');
    await running.waitFor();
    await typeQuery(page, 'UrlClickEvents\n| where Nope > 1');
    await underlines(page).first().waitFor({ timeout: 5000 });
    assert.equal(await underlines(page).first().textContent(), 'Nope');
    assert.ok(await running.isVisible(), 'the long query is still running: the answer did not wait for it');
    assert.ok((await asked(lang)).includes('Check'), 'the language worker was asked');
    await s.screenshot('language-error-while-running');
    // Stop ends the query worker only: the language worker goes on answering.
    await running.getByRole('button', { name: 'Stop' }).click();
    await page.locator('.results-stopped').waitFor();
    assert.ok(page.workers().includes(lang), 'the language worker was not stopped');
    await typeQuery(page, 'EmailEvents\n| where Nada > 1');
    await page.locator('.editor-overlay .err', { hasText: 'Nada' }).waitFor({ timeout: 5000 });
  });

  test('an answer for an older text does not overwrite the newer one', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    const lang = await langWorker(page);
    await watch(lang);
    // The errors of the first text are held back for 2.5 s.
    await lang.evaluate(() => { self.__hold = { kind: 'Errors', ms: 2500 }; self.__held = 0; self.__released = 0; });
    await typeQuery(page, 'UrlClickEvents | where Nope > 1');
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__held) { clearInterval(t); ok(); } }, 20); }));
    // Then the learner fixes it; its (empty) answer comes at once.
    await typeQuery(page, 'UrlClickEvents | where Url != ""');
    await page.waitForTimeout(1000);
    assert.equal(await underlines(page).count(), 0, 'the fixed text has no error');
    // The first text's answer arrives late and is dropped.
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__released) { clearInterval(t); ok(); } }, 20); }));
    await settle(page);
    await page.waitForTimeout(200);
    assert.equal(await underlines(page).count(), 0, 'the late answer for the old text is not shown');
    assert.equal(await page.locator('#query').inputValue(), 'UrlClickEvents | where Url != ""');
    // And the other way round: a late empty answer does not hide a newer error.
    await lang.evaluate(() => { self.__hold = { kind: 'Errors', ms: 2500 }; self.__held = 0; self.__released = 0; });
    await typeQuery(page, 'UrlClickEvents | take 3');
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__held) { clearInterval(t); ok(); } }, 20); }));
    await typeQuery(page, 'UrlClickEvents | take 3 | where Zed > 1');
    await page.locator('.editor-overlay .err', { hasText: 'Zed' }).waitFor({ timeout: 5000 });
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__released) { clearInterval(t); ok(); } }, 20); }));
    await settle(page);
    await page.waitForTimeout(200);
    assert.equal(await underlines(page).count(), 1, 'the newer error stays');
  });

  test('completion: the popup opens with the language worker\'s answer', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    const lang = await langWorker(page);
    await watch(lang);
    await typeQuery(page, 'UrlClickEvents | where AccountU');
    const list = page.locator('.completions');
    await list.waitFor();
    assert.equal(await list.locator('.completion-label').first().textContent(), 'AccountUpn');
    assert.ok((await asked(lang)).includes('Complete'), 'the language worker was asked');
    await s.screenshot('language-completion');
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#query').inputValue(), 'UrlClickEvents | where AccountUpn');
    // An answer that comes after the cursor moved is dropped: no list opens.
    await lang.evaluate(() => { self.__hold = { kind: 'Completions', ms: 1200 }; self.__held = 0; self.__released = 0; });
    await typeQuery(page, 'UrlClickEvents | where Ur');
    await page.keyboard.press('Home');
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__released) { clearInterval(t); ok(); } }, 20); }));
    await settle(page);
    await page.waitForTimeout(200);
    assert.ok(await list.isHidden(), 'the late list is not shown at a cursor that moved');
  });

  test('Format is answered by the language worker; Ctrl+Z takes it back; a text changed meanwhile is kept', async () => {
    const { s, page } = site;
    await openPlayground(page, s.site.url);
    const lang = await langWorker(page);
    await watch(lang);
    const oneLine = 'UrlClickEvents | where Url has "login" | summarize count() by AccountUpn';
    const formatted = 'UrlClickEvents\n| where Url has "login"\n| summarize count() by AccountUpn';
    await typeQuery(page, oneLine);
    await page.locator('.editor-bar button', { hasText: 'Format' }).click();
    await page.waitForFunction((want) => document.querySelector('#query').value === want, formatted);
    assert.ok((await asked(lang)).includes('Format'), 'the language worker was asked');
    await page.locator('#query').focus();
    await page.keyboard.press('Control+z');
    await page.waitForFunction((want) => document.querySelector('#query').value === want, oneLine);
    // The answer is held back while the learner types on: the typed text stays.
    await lang.evaluate(() => { self.__hold = { kind: 'Formatted', ms: 1200 }; self.__held = 0; self.__released = 0; });
    await page.keyboard.press('Shift+Alt+F');
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__held) { clearInterval(t); ok(); } }, 20); }));
    await page.keyboard.press('End');
    await page.keyboard.type(' | take 5');
    await lang.evaluate(() => new Promise((ok) => { const t = setInterval(() => { if (self.__released) { clearInterval(t); ok(); } }, 20); }));
    await settle(page);
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#query').inputValue(), `${oneLine} | take 5`, 'the late layout does not replace newer typing');
  });
});
