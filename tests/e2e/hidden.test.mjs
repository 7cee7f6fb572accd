// The hidden-data re-check, as a learner meets it in lesson 1: an exploratory query shows the
// numbers, the learner pastes them into a `datatable` (an answer hard-coded from the screen),
// which gives the right rows here and so is re-run on the hidden copy of the data, where it is
// wrong: the verdict says so kindly and names the literals. Then the real query passes. The
// learner types with the keyboard and runs with Ctrl+Enter; the values come from the page.
// The test also times the runs (the first re-check generates the hidden copy in the worker).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, gotoStep, gridColumn, lessonSteps, openLesson, runWithKeyboard, typeQuery } from './kqlab.mjs';

const LESSON = 'Following the click';

/** Runs the query in the editor and returns the verdict element and the milliseconds it took. */
async function runTimed(page, kind) {
  // The verdict panel is taken down while a query runs: wait for the old one to go.
  const old = await page.$('.work-pane .verdict');
  const started = Date.now();
  await runWithKeyboard(page);
  if (old) await page.waitForFunction((el) => !el.isConnected, old);
  const verdict = page.locator(`.work-pane .verdict.${kind}`);
  await verdict.waitFor();
  return { verdict, ms: Date.now() - started };
}

describe('the hidden-data re-check in lesson 1', () => {
  const site = siteForSuite();
  let s;
  let page;
  let steps;
  let n;

  before(async () => {
    steps = await lessonSteps('following-the-click.toml');
    n = steps.findIndex((st) => st.id === 'events-vs-clicks');
    assert.ok(n >= 0, 'lesson 1 has the events-vs-clicks step');
    s = site.s;
    page = site.page;
    await gotoHome(page, s.site.url);
    await openLesson(page, LESSON);
    await gotoStep(page, n + 1, steps[n].title);
  });

  test('an answer pasted from the screen is caught; the real query passes', async () => {
    // Explore: every campaign clicker's events and clicks (not yet the answer: no filter).
    const explore = 'UrlClickEvents\n| where Timestamp > ago(7d)\n| where Url contains "contoso-login"\n| summarize Events = count(), Clicks = dcount(ReportId) by AccountUpn';
    await typeQuery(page, explore);
    const wrong = await runTimed(page, 'fail');
    assert.doesNotMatch(await wrong.verdict.locator('.verdict-message').textContent(), /second copy/);
    const users = await gridColumn(page, 'AccountUpn');
    const events = await gridColumn(page, 'Events');
    const clicks = await gridColumn(page, 'Clicks');
    const rows = users.map((u, i) => [u, Number(events[i]), Number(clicks[i])]).filter((r) => r[1] > 1);
    assert.ok(rows.length >= 1, 'someone has more than one event');

    // Paste what the screen shows into a datatable.
    const lines = rows.map((r, i) => `"${r[0]}", ${r[1]}, ${r[2]}${i + 1 < rows.length ? ',' : ''}`);
    const hardCoded = ['datatable(AccountUpn:string, Events:long, Clicks:long)', '[', ...lines, ']'].join('\n');
    await typeQuery(page, hardCoded);
    const first = await runTimed(page, 'fail');
    const message = await first.verdict.locator('.verdict-message').textContent();
    assert.match(message, /right rows here, but not on a second copy of the data/);
    assert.match(message, /relies on a value read off the screen/);
    // The literals the solution does not contain are named (the counts and the first name).
    assert.ok(message.includes(`"${rows[0][0]}"`), `the pasted name is pointed at: ${message}`);
    // Nothing of the hidden data is shown: no preview table, no stage note.
    assert.equal(await first.verdict.locator('.preview').count(), 0);
    assert.equal(await page.locator('.verdict-parting').count(), 0);
    await s.screenshot('hidden-01-hard-coded-caught');

    // The same hard-coded answer again: the hidden copy is already there.
    const again = await runTimed(page, 'fail');

    // The real query passes (re-checked on the hidden copy too).
    await typeQuery(page, steps[n].solution.trimEnd());
    const pass = await runTimed(page, 'pass');
    await s.screenshot('hidden-02-real-answer-passes');
    const passAgain = await runTimed(page, 'pass');
    console.log(
      `hidden re-check timings (ms, key press to verdict): wrong answer (no re-check) ${wrong.ms}; first re-check (generates the hidden copy) ${first.ms}; ` +
        `same query again ${again.ms}; solution (its hidden answer computed) ${pass.ms}; solution again ${passAgain.ms}`,
    );
  });
});
