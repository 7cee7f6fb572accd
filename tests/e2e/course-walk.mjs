// A whole course lesson walked as a learner walks it, shared by the course*.test.mjs files.
// On every step that is checked by result: the step's first typical wrong query (from the
// lesson file's `wrong` list) is typed and run, its verdict is read and must say what is wrong
// in the words the test expects, a hint is shown, then the solution is typed and passes. On a
// typed-answer step: the typical wrong query's value is typed and refused, a hint is shown, the
// solution is run and the value read off the grid is accepted. Typing is the keyboard's (each
// line, Enter between lines, no Escape); runs use the Run button or Ctrl+Enter.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { gotoStep, gridColumn, lessonSteps, runWithKeyboard, typeQuery } from './kqlab.mjs';

/** The `wrong` queries of each step, in order, as the lesson file lists them (dedented). */
export async function wrongQueries(file) {
  const text = await readFile(join(ROOT, 'lessons', file), 'utf8');
  return text
    .split(/^\[\[steps\]\]\s*$/m)
    .slice(1)
    .map((block) => {
      const list = block.match(/^wrong = \[\n([\s\S]*?)^\]$/m);
      if (!list) return [];
      return [...list[1].matchAll(/query = '''\n([\s\S]*?)'''/g)].map((m) =>
        m[1]
          .split('\n')
          .map((l) => l.replace(/^ {4}/, ''))
          .join('\n')
          .trimEnd(),
      );
    });
}

/** Each step's typed-answer column (`answer_column`), or null for a step checked by result. */
export async function answerColumns(file) {
  const text = await readFile(join(ROOT, 'lessons', file), 'utf8');
  return text
    .split(/^\[\[steps\]\]\s*$/m)
    .slice(1)
    .map((block) => {
      const q = block.match(/^\[steps\.question\][\s\S]*?^answer_column = "([^"]+)"$/m);
      return q ? q[1] : null;
    });
}

/** The verdict message in the work pane, once a verdict of this kind (`pass`, `fail`) shows. */
export async function verdictOf(page, kind) {
  const v = page.locator(`.work-pane .verdict.${kind}`);
  await v.waitFor();
  return v.locator('.verdict-message').textContent();
}

/** Clicks "Show a hint" and returns the text of the newest hint. */
export async function showHint(page) {
  const before = await page.locator('.step-view .hint').count();
  await page.locator('.step-view button', { hasText: /^Show a hint/ }).click();
  await page.locator('.step-view .hint').nth(before).waitFor();
  return page.locator('.step-view .hint').nth(before).textContent();
}

/** Types the query into the editor and runs it: with the Run button, or Ctrl+Enter every other time. */
async function typeAndRun(page, query, keyboard) {
  await typeQuery(page, query);
  if (keyboard) await runWithKeyboard(page);
  else await page.locator('.run-button').click();
}

/** The typed-answer box's verdict text once a verdict of this kind shows. */
async function answerVerdict(page, kind) {
  const v = page.locator(`.step-view .question .verdict.${kind}, .step-view .verdict.${kind}`).first();
  await v.waitFor();
  return v.textContent();
}

/** Types `value` into the answer box (cleared first) and presses Enter. */
async function typeAnswer(page, value) {
  const answer = page.locator('#answer');
  await answer.fill('');
  await answer.click();
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
}

/**
 * Walks every step of the open lesson `file`. `verdicts` maps a step id to a RegExp the
 * typical wrong query's verdict must match, or to `{ message, parting }` RegExps for the
 * verdict and the stepper's note under it (every step checked by result needs one: the words
 * that tell the learner what is wrong). `shot` prefixes the screenshots' names. Returns the
 * verdicts read, by step id.
 */
export async function walkLesson(page, s, file, verdicts, shot) {
  const steps = await lessonSteps(file);
  const wrong = await wrongQueries(file);
  const answers = await answerColumns(file);
  assert.ok(wrong.every((w) => w.length > 0), `every step of ${file} lists a typical wrong query`);
  const read = {};
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    await gotoStep(page, i + 1, step.title);
    const name = `${shot}${String(i + 1).padStart(2, '0')}-${step.id}`;
    if (answers[i]) {
      assert.equal(await page.locator('.step-view .question').count(), 1, `${step.id} asks a question`);
      // The learner runs the typical wrong query and types what its result shows.
      await typeAndRun(page, wrong[i][0], i % 2 === 1);
      await page.locator('[data-testid="row-count"]').waitFor();
      const [wrongValue] = await gridColumn(page, answers[i]);
      await typeAnswer(page, wrongValue);
      const refused = await answerVerdict(page, 'fail');
      read[step.id] = refused;
      console.log(`${step.id} (typed ${wrongValue}): ${refused}`);
      assert.match(refused, /is not the answer\. Look at your query's result again\./, refused);
      await s.screenshot(`${name}-wrong-answer`);
      const hint = await showHint(page);
      assert.match(hint, /^Hint 1: \S/, hint);
      // Then the solution, and the value its result shows.
      await typeAndRun(page, step.solution.trimEnd(), i % 2 === 0);
      await page.waitForFunction(
        ([col, was]) => {
          const names = [...document.querySelectorAll('.grid-th .th-name')].map((e) => e.textContent);
          const c = names.indexOf(col);
          const cell = c >= 0 ? document.querySelector('.grid-row')?.querySelectorAll('.grid-td')[c] : null;
          return cell && cell.textContent !== was;
        },
        [answers[i], wrongValue],
      );
      const [right] = await gridColumn(page, answers[i]);
      assert.notEqual(right, wrongValue);
      await typeAnswer(page, right);
      assert.match(await answerVerdict(page, 'pass'), /That is the answer\./);
      await page.locator('.step-view .explanation').waitFor();
      await s.screenshot(`${name}-passed`);
    } else {
      assert.ok(verdicts[step.id], `an expected verdict for step ${step.id}`);
      await typeAndRun(page, wrong[i][0], i % 2 === 1);
      const message = await verdictOf(page, 'fail');
      // The stepper's note under the verdict: where the query first parts from the solution.
      const note = page.locator('.work-pane .verdict-parting');
      const parting = (await note.count()) ? await note.textContent() : '';
      read[step.id] = { message, parting };
      console.log(`${step.id}: ${message}${parting ? ` || ${parting}` : ''}`);
      const expect = verdicts[step.id] instanceof RegExp ? { message: verdicts[step.id] } : verdicts[step.id];
      assert.match(message, expect.message, `${step.id}: ${message}`);
      if (expect.parting) assert.match(parting, expect.parting, `${step.id}: ${parting}`);
      await s.screenshot(`${name}-wrong`);
      const hint = await showHint(page);
      assert.match(hint, /^Hint 1: \S/, hint);
      await s.screenshot(`${name}-hint`);
      await typeAndRun(page, step.solution.trimEnd(), i % 2 === 0);
      const pass = await verdictOf(page, 'pass');
      assert.match(pass, /^Your result matches the expected answer \([\d,]+ rows?\)\.$/, `${step.id}: ${pass}`);
      await page.locator('.step-view .explanation').waitFor();
      await s.screenshot(`${name}-passed`);
    }
  }
  for (let i = 0; i < steps.length; i++) {
    const passed = await page.locator('.step-list .step-item').nth(i).evaluate((el) => el.classList.contains('passed'));
    assert.equal(passed, true, `step ${i + 1} of ${file} is marked passed`);
  }
  return read;
}
