// The endpoint half of the course walked end to end, as a learner meets it: "Recon or
// routine?", "The beacon" and "From hunt to detection". On every step a typical wrong query
// (the first of the step's `wrong` list) is typed and run; its verdict must say what is wrong
// in the words asserted below; a hint is shown; the solution is typed and passes. Question
// steps get a wrong typed value (read off the typical wrong query's result), then the right one.

import { before, describe, test } from 'node:test';
import { siteForSuite } from './harness.mjs';
import { gotoHome, openLesson } from './kqlab.mjs';
import { walkLesson } from './course-walk.mjs';

const LESSONS = [
  {
    file: 'recon-or-routine.toml',
    title: 'Recon or routine?',
    verdicts: {
      tools: /^Some rows differ: the expected answer has a row with People = \d+ that your result does not have\./,
      parents: { message: /^Your result has 2 rows; the expected answer has 3\./, parting: /top-nested/ },
      sequence: {
        // count() == 2 keeps other people than dcount() == 2: more or fewer rows, or as many but others, by the clock.
        // At a few clocks (4 of 168 in `lessons check --clocks 168`) the same people, with fewer commands each.
        message: /^(Your result has \d+ rows?; the expected answer has \d+\.|Some rows differ: the expected answer has a row with AccountName = .+ that your result does not have\.|The `?Commands`? arrays have \d+ values? in your result and [\d to]+ values in the expected answer\.)/,
        // As many rows but other people: every stage has the expected row count, so there is no
        // stage to name and no note (seen at 20:00 on 2026-12-07).
        parting: /^$|filter (lets through \d+ rows? it should not|drops \d+ rows? it should keep)/,
      },
      pattern: /^Your result has \d+ rows; the expected answer has 2\. This step is about matches regex, which your query does not use\./,
      tidy: /^The columns are right but in a different order\. Expected: Timestamp, AccountName, DeviceName, ProcessCommandLine, /,
    },
  },
  {
    file: 'the-beacon.toml',
    title: 'The beacon',
    verdicts: {
      'rare-hosts': /^Your result has \d+ rows; the expected answer has 2\. Did you apply every filter the task asks for\?/,
      'per-hour': /^The `?Connections`? arrays have \d+ values in your result and \d+ values in the expected answer\./,
      gaps: /^Your rows are sorted the other way: newest first \(by Timestamp\), but the answer has oldest first \(by Timestamp\)\./,
      jitter: /^Some rows differ: the expected answer has a row with Calls = \d+ that your result does not have\. Did you apply every filter the task asks for\?/,
      scope: /^Your result has 1 row; the expected answer has 2\. This step is about in~, which your query does not use\./,
    },
  },
  {
    file: 'detection-engineering.toml',
    title: 'From hunt to detection',
    verdicts: {
      // A Windows update or an Intune script lands in the 5-minute window at some hours: 3 to 5 pairs.
      'window-join': { message: /^Your result has \d+ rows; the expected answer has \d+\./, parting: /filter lets through \d+ rows? it should not/ },
      parameters: { message: /^Your result has \d+ rows; the expected answer has \d+\./, parting: /filter lets through \d+ rows? it should not/ },
      invoke: /^Your result has \d+ rows; the expected answer has 1\. Did you apply every filter the task asks for\?/,
      'persistence-rule': /^Your result has 2 rows; the expected answer has 1\. Did you apply every filter the task asks for\?/,
      // The feed's low-confidence domains are Windows Update and the Microsoft sign-in page.
      'intel-feed': { message: /^Your result has \d+ rows; the expected answer has 1\./, parting: /filter lets through \d+ rows? it should not/ },
      'one-alert-table': /This step is about union, which your query does not use\.$/,
    },
  },
];

for (const lesson of LESSONS) {
  describe(`the course lesson "${lesson.title}", every step end to end`, () => {
    const site = siteForSuite();
    before(async () => {
      await gotoHome(site.page, site.s.site.url);
      await openLesson(site.page, lesson.title);
    });

    test('each typical mistake gets a verdict that says what is wrong, then a hint, then the pass', async () => {
      await walkLesson(site.page, site.s, lesson.file, lesson.verdicts, `course-${lesson.file.replace('.toml', '')}-`);
    });
  });
}
