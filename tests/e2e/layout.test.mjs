// Layout, themes and legibility: the lesson view (after a pass), the chart step and the error
// state, in the light and dark theme, at 1024 px and at tablet width (820 px). Screenshots
// go to tests/e2e/artifacts/layout-<state>-<theme>-<width>.png; look at them.
//
// Automatic checks per screen: no horizontal overflow, the editor's painted overlay sits
// exactly over the text area, the main controls are inside the viewport, and text contrast
// (WCAG 2 ratio against the nearest opaque background) is at least 4.5:1 for the texts a
// learner must read.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, waitForPage } from './harness.mjs';
import { horizontalOverflow, lessonSteps, runWithKeyboard, shareFragment, waitLessonReady } from './kqlab.mjs';

const LESSON_ID = 'following-the-click';

/** Runs in the page: contrast ratios of the first visible element of each selector. */
function contrasts(selectors) {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[,/ ]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const out = {};
  for (const sel of selectors) {
    const el = [...document.querySelectorAll(sel)].find((e) => e.getClientRects().length && e.textContent.trim());
    if (!el) continue;
    const fg = parse(getComputedStyle(el).color);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out[sel] = Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  }
  return out;
}

const READ = [
  '.step-view .narrative p',
  '.task p',
  '.step-counter',
  '.lesson-progress',
  '.data-clock',
  '.verdict-title',
  '.verdict-message',
  '.verdict-help',
  '.explanation p',
  '.editor-overlay .tok-keyword, .editor-overlay .tok-operator',
  '.editor-overlay .tok-function',
  '.editor-overlay .tok-number',
  '.editor-overlay .tok-ident',
  '.editor-gutter',
  '.error-message',
  '.error-location',
  '.run-errors li',
  '.grid-td',
  '.th-name',
  '.th-type',
  '.grid-elapsed',
  '.grid-count',
  '.step-number',
  '.run-button',
  '.tabs [role="tab"]',
  '.col-type',
  '.schema-desc',
  '.chart-wrap .x-axis text',
];

describe('layout and themes', () => {
  let s;
  let steps;
  const low = [];

  before(async () => {
    steps = await lessonSteps(`${LESSON_ID}.toml`);
    s = await openSite();
  });

  after(async () => {
    if (low.length) console.log(`# low contrast (< 4.5:1):\n${low.map((l) => `#   ${l}`).join('\n')}`);
    if (s) {
      const problems = s.problems();
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  async function check(p, name) {
    assert.ok((await horizontalOverflow(p)) <= 0, `${name}: horizontal overflow of ${await horizontalOverflow(p)} px`);
    // The painted overlay must sit exactly under the text area, or the caret and the colours drift apart.
    const [ta, ov] = await Promise.all([p.locator('#query').boundingBox(), p.locator('.editor-overlay').boundingBox()]);
    for (const k of ['x', 'y', 'width']) assert.ok(Math.abs(ta[k] - ov[k]) <= 1, `${name}: overlay ${k} ${ov[k]} vs text area ${ta[k]}`);
    const vw = p.viewportSize().width;
    for (const sel of ['.run-button', '.theme-toggle', '#lesson-picker', '.step-list']) {
      const box = await p.locator(sel).first().boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= vw, `${name}: ${sel} inside the viewport (${JSON.stringify(box)})`);
    }
    const ratios = await p.evaluate(contrasts, READ);
    for (const [sel, r] of Object.entries(ratios)) if (r < 4.5) low.push(`${name}: ${sel} ${r}:1`);
    // At tablet width the panes stack: a full-page picture shows all of it.
    await s.screenshot(`layout-${name}`, { fullPage: vw < 1000 }, p);
  }

  for (const theme of ['light', 'dark']) {
    for (const width of [1024, 820]) {
      test(`lesson, chart and error states in the ${theme} theme at ${width} px`, async () => {
        const { context, page: p } = await s.newPage({ viewport: { width, height: width === 820 ? 1180 : 768 }, colorScheme: theme });
        try {
          const open = async (step, query) => {
            await p.goto('about:blank');
            await p.goto(`${s.site.url}#${shareFragment({ lesson: LESSON_ID, step: step.id, query })}`);
            await waitLessonReady(p);
            assert.equal(await p.locator('#query').inputValue(), query);
            await runWithKeyboard(p);
          };
          await open(steps[0], steps[0].solution.trimEnd());
          const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
          assert.equal(bg === 'rgb(13, 17, 23)', theme === 'dark', `the page follows the system theme (${bg})`);
          await p.locator('.work-pane .verdict.pass').waitFor();
          await p.locator('.step-view .explanation').waitFor();
          await check(p, `lesson-${theme}-${width}`);

          await open(steps[3], steps[3].solution.trimEnd());
          await p.locator('#panel-chart svg.chart path.series').waitFor();
          await check(p, `chart-${theme}-${width}`);

          await open(steps[0], 'UrlClickEvents\n| where Timstamp > ago(7d)\n| project Timestamp, AccountUpn');
          await p.locator('.work-pane .verdict.error').waitFor();
          await check(p, `error-${theme}-${width}`);
        } finally {
          await context.close();
        }
      });
    }
  }

  // Kept as a to-do until the colours are fixed: prints which texts fall short.
  test('texts a learner reads have a contrast of at least 4.5:1', () => {
    assert.deepEqual(low, []);
  });

  test('the theme toggle overrides the system theme and the choice survives a reload', async () => {
    const { context, page: p } = await s.newPage({ colorScheme: 'light' });
    try {
      await p.goto(s.site.url);
      const toggle = p.locator('.theme-toggle');
      await toggle.waitFor();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await p.reload();
      await p.locator('.theme-toggle').waitFor();
      await waitForPage(p, () => document.documentElement.dataset.theme === 'dark');
      assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(13, 17, 23)');
      await p.locator('.theme-toggle').click();
      assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light');
    } finally {
      await context.close();
    }
  });
});
