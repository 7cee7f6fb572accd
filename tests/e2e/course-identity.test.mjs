// The story's second chapter in the course, walked end to end as a learner meets it: "Stolen
// credentials" (Entra ID sign-ins and IdentityLogonEvents), "Persistence in the mailbox"
// (CloudAppEvents) and the capstone that puts the whole intrusion on one timeline. On every
// step a typical wrong query (the first of the step's `wrong` list) is typed and run, and its
// verdict must say what is wrong in the words asserted below; then a hint, then the solution
// passes. Question steps get a wrong typed value read off the typical wrong query's result,
// then the value the solution's result shows.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { siteForSuite } from './harness.mjs';
import { gotoHome, lessonCard, openLesson } from './kqlab.mjs';
import { walkLesson } from './course-walk.mjs';

const LESSONS = [
  {
    file: 'stolen-credentials.toml',
    title: 'Stolen credentials',
    after: 'From delivery to click',
    verdicts: {
      'error-codes': /^Row 1 differs: Accounts is [\d,]+, expected \d+\./,
      'gave-in': /^Some rows differ: the expected answer has a row with Timestamp = .+ that your result does not have\. This step is about arg_max\(\), which your query does not use\./,
      'impossible-travel': { message: /^Your result has \d+ rows; the expected answer has 2\./, parting: /filter lets through \d+ rows? it should not/ },
      'identity-view': /^Your result has \d+ rows; the expected answer has 2\. Did you apply every filter the task asks for\?/,
    },
  },
  {
    file: 'mailbox-persistence.toml',
    title: 'Persistence in the mailbox',
    after: 'Stolen credentials',
    verdicts: {
      'from-abroad': /^Your result has [\d,]+ rows; the expected answer has 2\. This step is about !in, which your query does not use\./,
      'inbox-rules': /^Row 1 differs: Parameters is .+, expected .+\. This step is about dynamic access/,
      columns: /^The rows are right but in reverse order: the answer has newest first \(by Timestamp\), yours are oldest first \(by Timestamp\)\./,
      'same-address': /^Your result has [\d,]+ rows; the expected answer has 2\. Did you apply every filter the task asks for\?/,
      rule: { message: /^Your result has \d+ rows; the expected answer has 1\./, parting: /filter lets through \d+ rows? it should not/ },
    },
  },
  {
    // Five of its six steps are typed answers; the timeline is checked by result.
    file: 'capstone-kill-chain.toml',
    title: 'Capstone: the whole kill chain',
    after: 'From hunt to detection',
    verdicts: {
      // The stepper cannot line up the legs of a union (its note only compares the union's
      // output): the verdict's row counts and its preview are what point at the extra rows.
      timeline: /^Your result has \d+ rows; the expected answer has \d+\.$/,
    },
  },
];

for (const lesson of LESSONS) {
  describe(`the course lesson "${lesson.title}", every step end to end`, () => {
    const site = siteForSuite();
    before(async () => {
      await gotoHome(site.page, site.s.site.url);
      // On the course path, with the lesson it builds on named.
      assert.match(await lessonCard(site.page, lesson.title).locator('.lesson-card-before').textContent(), new RegExp(lesson.after));
      await site.s.screenshot(`course-${lesson.file.replace('.toml', '')}-00-home`);
      await openLesson(site.page, lesson.title);
    });

    test('each typical mistake gets a verdict that says what is wrong, then a hint, then the pass', async () => {
      await walkLesson(site.page, site.s, lesson.file, lesson.verdicts, `course-${lesson.file.replace('.toml', '')}-`);
    });
  });
}
