// Two tabs of the same browser on the same lesson: each tab's passed steps survive the
// other's writes, and show up in the other tab without a reload (the `storage` event).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite, waitForPage } from './harness.mjs';
import { gotoHome, lessonSteps, openLesson, passedSteps, passStep, sameContextPage, waitLessonReady } from './kqlab.mjs';

const LESSON = 'Following the click';

describe('progress in two tabs of one browser', () => {
  const site = siteForSuite();

  test('steps passed in either tab are all kept, and appear in the other tab without a reload', async () => {
    const { s, page: a } = site;
    const steps = await lessonSteps('following-the-click.toml');
    await gotoHome(a, s.site.url);
    await openLesson(a, LESSON);
    // Tab B: the same lesson, opened while A is open (it returns to the last lesson).
    const b = await sameContextPage(s);
    await b.goto(s.site.url);
    await waitLessonReady(b);

    await passStep(a, 2, steps[1]);
    // B sees A's pass without reloading.
    await waitForPage(b, () => document.querySelectorAll('.step-list .step-item')[1]?.classList.contains('passed'));
    await passStep(b, 3, steps[2]);
    await passStep(a, 7, steps[6]);
    await waitForPage(a, () => document.querySelectorAll('.step-list .step-item')[2]?.classList.contains('passed'));
    assert.deepEqual(await passedSteps(a), [2, 3, 7], 'A shows B\'s step 3 next to its own');
    await s.screenshot('tabs-a-before-reload', {}, a);

    // A's writes did not drop B's step: after a reload of A, all three are there.
    await a.reload();
    await waitLessonReady(a);
    assert.deepEqual(await passedSteps(a), [2, 3, 7]);
    assert.equal(await a.locator('.lesson-progress').textContent(), '3 of 12 steps passed');
    await waitForPage(b, () => document.querySelectorAll('.step-list .step-item.passed').length === 3);
    assert.deepEqual(await passedSteps(b), [2, 3, 7]);
    await s.screenshot('tabs-a-after-reload', {}, a);
    await s.screenshot('tabs-b', {}, b);

    // Each tab keeps its own place: A is still on step 7, B on step 3.
    assert.equal(await a.locator('.step-heading').textContent(), steps[6].title);
    assert.equal(await b.locator('.step-heading').textContent(), steps[2].title);
    await b.close();
  });
});
