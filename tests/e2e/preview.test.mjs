// Instructor preview and untrusted content: local lesson files (broken, valid with a CSV,
// hostile), ?lesson= URLs, and share links with hostile values. Nothing a file or link
// carries may run: every payload would set window.__pwned or open a dialog, and the harness
// fails on any alert() dialog, on requests outside the origin and on failed requests (an
// <img src=x> that became an element would fetch /kqlab/x and fail).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, openSite } from './harness.mjs';
import { gotoHome, gridColumn, runWithKeyboard, settle, shareFragment, typeQuery, waitLessonReady } from './kqlab.mjs';

const BROKEN = `id = "broken-preview"
title = "A lesson with a typo"
summary = "Has a misspelt key."

[[steps]]
id = "one"
title = "Step one"
narative = "The key above is misspelt."
task = "Anything."
solution = "UrlClickEvents | take 1"
`;

const MINI = `id = "mini-preview"
title = "Preview: hosts at risk"
summary = "A one-step lesson on a CSV file, opened from disk."

[dataset]
builtin = false

[[dataset.csv]]
table = "Hosts"
file = "mini-hosts.csv"
description = "Hosts and their risk score."
[dataset.csv.columns]
Risk = "int"

[[steps]]
id = "risky"
title = "Risky hosts"
narrative = "Some hosts are riskier than others."
task = "List the \`Host\` of every host with a \`Risk\` above 5, in name order."
starter = '''
Hosts
'''
solution = '''
Hosts
| where Risk > 5
| project Host
| order by Host asc
'''
hints = ["Filter with \`where Risk > 5\`."]
explanation = "\`where\` keeps the rows you want."
`;

const MINI_CSV = 'Host,Risk\nws-001,3\nws-002,7\nsrv-01,9\n';

// A lesson the validator has things to say about: a reference solution that does not run,
// and a starter query that already passes.
const CHECKS = `id = "checks-preview"
title = "Preview: a lesson with mistakes"
summary = "The author made two mistakes."

[dataset]
builtin = false

[[dataset.csv]]
table = "Hosts"
file = "mini-hosts.csv"
[dataset.csv.columns]
Risk = "int"

[[steps]]
id = "broken"
title = "A broken reference"
narrative = "The solution misspells a column."
task = "List the hosts."
solution = "Hosts | where Rsik > 5"
hints = ["Use where."]

[[steps]]
id = "already"
title = "Nothing to do"
narrative = "The starter is already the answer."
task = "Count the hosts."
starter = "Hosts | count"
solution = "Hosts | count"
hints = ["Use count."]
`;

// A wide result whose only difference is in its last column.
const WIDE_COLUMNS = ['Host', 'Owner', 'Site', 'Department', 'OperatingSystem', 'LastPatch', 'Notes', 'Risk'];
const WIDE_CSV = [
  WIDE_COLUMNS.join(','),
  ...[1, 2, 3].map((i) => [`host-${i}.corp.contoso.example`, `owner${i}@contoso.example`, 'Stockholm data centre hall B', 'Finance and accounting', 'Windows Server 2022 Datacenter', '2026-11-0' + i, 'no remarks for this host at all', String(i * 3)].join(',')),
  '',
].join('\n');
const WIDE = `id = "wide-preview"
title = "Preview: a wide answer"
summary = "The difference is far to the right."

[dataset]
builtin = false

[[dataset.csv]]
table = "Wide"
file = "wide.csv"
[dataset.csv.columns]
Risk = "int"

[[steps]]
id = "all"
title = "Everything about every host"
narrative = "n"
task = "All columns, hosts in name order."
solution = "Wide | order by Host asc"
hints = ["order by"]
`;

// Every Markdown field carries a payload; each would set window.__pwned if it ran.
const PAYLOAD = `<script>window.__pwned = 'script'</script>
<img src=x onerror="window.__pwned = 'img'">
[click me](javascript:window.__pwned='link')
<svg onload="window.__pwned = 'svg'"><script>window.__pwned = 'svg-script'</script></svg>
<iframe src="javascript:window.__pwned='iframe'"></iframe>
<a href="javascript:window.__pwned='a'">raw link</a>`;

const HOSTILE = `id = "hostile-preview"
title = "<img src=x onerror=window.__pwned='title'> Hostile"
summary = "<script>window.__pwned='summary'</script>"

[dataset]
builtin = false

[[dataset.csv]]
table = "Evil"
file = "evil-labels.csv"
description = "<img src=x onerror=window.__pwned='table-doc'>"

[[steps]]
id = "payloads"
title = "<svg onload=window.__pwned='step-title'>"
narrative = '''
${PAYLOAD}
'''
task = '''
Chart the total per \`Label\`. ${PAYLOAD}
'''
starter = '''
Evil
'''
solution = '''
Evil
| summarize Total = sum(N) by Label
| render columnchart with (title="<script>window.__pwned='chart-title'</script>")
'''
hints = ['''${PAYLOAD}''']
explanation = '''
${PAYLOAD}
'''
`;

const EVIL_CSV = ['Label,N', `"<script>window.__pwned='label'</script>",4`, `"<img src=x onerror=window.__pwned='label-img'>",2`, '"plain",1', ''].join('\n');

describe('instructor preview and untrusted content', () => {
  let s;
  let page;
  let dir;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kqlab-e2e-'));
    for (const [name, text] of [
      ['broken-lesson.toml', BROKEN],
      ['mini.toml', MINI],
      ['mini-hosts.csv', MINI_CSV],
      ['hostile.toml', HOSTILE],
      ['evil-labels.csv', EVIL_CSV],
      ['checks.toml', CHECKS],
      ['wide.toml', WIDE],
      ['wide.csv', WIDE_CSV],
    ]) {
      await writeFile(join(dir, name), text);
    }
    s = await openSite();
    page = s.page;
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    if (s) {
      const problems = s.problems();
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  const openFiles = (...names) => page.locator('input[type="file"][accept=".toml,.csv"]').setInputFiles(names.map((n) => join(dir, n)));
  const pwned = (p = page) => p.evaluate(() => window.__pwned);

  test('a lesson file with an unknown field is listed with its file, line and field', async () => {
    await gotoHome(page, s.site.url);
    await openFiles('broken-lesson.toml');
    await page.locator('.notice-error', { hasText: 'broken-lesson.toml cannot be opened' }).waitFor();
    const card = page.locator('.lesson-card.failed', { hasText: 'broken-lesson.toml' });
    await card.waitFor();
    assert.equal(await card.locator('strong').textContent(), 'broken-lesson.toml could not be loaded');
    const errors = await card.locator('.lesson-errors li').allTextContents();
    assert.ok(errors.length >= 1);
    const line = BROKEN.split('\n').findIndex((l) => l.startsWith('narative')) + 1;
    assert.match(errors[0], new RegExp(`^broken-lesson\\.toml, line ${line}, column \\d+: `), errors[0]);
    assert.match(errors[0], /narative/, 'names the field');
    // The other lessons are still there and usable.
    const published = (await readFile(join(ROOT, 'lessons', 'index.toml'), 'utf8')).match(/^\[\[lessons\]\]$/gm).length;
    assert.equal(await page.locator('.lesson-card:not(.failed) .lesson-open').count(), published);
    await card.scrollIntoViewIfNeeded();
    await s.screenshot('11-preview-error');
  });

  // Reported: from a lesson view the notice says "see the lesson list", but the list (the home
  // view) can only be reached by the brand link, a full reload that drops the opened files.
  test('a broken lesson file opened while a lesson is shown still shows its errors', async () => {
    const fresh = await s.newPage();
    const p = fresh.page;
    try {
      await gotoHome(p, s.site.url);
      await p.locator('.lesson-card .lesson-open').first().click();
      await waitLessonReady(p);
      await p.locator('input[type="file"][accept=".toml,.csv"]').setInputFiles(join(dir, 'broken-lesson.toml'));
      await p.locator('.notice-error', { hasText: 'broken-lesson.toml' }).waitFor();
      await settle(p);
      const visible = await p.getByText(/line \d+, column \d+: .*narative/).first().isVisible().catch(() => false);
      assert.ok(visible, 'the line and field of the error are on screen');
    } finally {
      await fresh.context.close();
    }
  });

  test('a lesson opened without the CSV it names says which file to add', async () => {
    await openFiles('mini.toml');
    const notice = page.locator('.notice-error', { hasText: "could not be prepared" });
    await notice.waitFor();
    assert.match(await notice.textContent(), /mini-hosts\.csv/);
  });

  test('a valid local lesson with its CSV opens and a step can be passed', async () => {
    await gotoHome(page, s.site.url);
    await openFiles('mini.toml', 'mini-hosts.csv');
    await waitLessonReady(page);
    assert.equal(await page.locator('.lesson-title').textContent(), 'Preview: hosts at risk');
    assert.equal(await page.locator('.step-heading').textContent(), 'Risky hosts');
    assert.equal(await page.locator('.schema-pane .schema-table').first().textContent(), 'Hosts');
    await typeQuery(page, 'Hosts\n| where Risk > 5\n| project Host\n| order by Host asc');
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    assert.deepEqual(await gridColumn(page, 'Host'), ['srv-01', 'ws-002']);
    assert.equal(await page.locator('.step-list .step-item.passed').count(), 1);
  });

  test('the preview runs the lesson checks and shows them to the author; a learner is told a broken reference is the lesson\'s fault', async () => {
    await gotoHome(page, s.site.url);
    await openFiles('checks.toml', 'mini-hosts.csv');
    await waitLessonReady(page);
    const checks = page.locator('.lesson-checks');
    await checks.waitFor();
    assert.match(await checks.locator('.lesson-checks-summary').textContent(), /^3 problems to fix before learners use this lesson/);
    const items = await checks.locator('li').allTextContents();
    assert.ok(items.some((t) => /^Problem: Step 1 \(A broken reference\)the solution does not run/.test(t) && t.includes('Rsik')), items.join('\n'));
    assert.ok(items.some((t) => /^Problem: Step 2 \(Nothing to do\)the starter query already passes/.test(t)), items.join('\n'));
    // A row count is a query that needs no thought: the validator says so too.
    assert.ok(items.some((t) => /^Problem: Step 2 \(Nothing to do\)the check passes for the trivial query 'Hosts \| count'/.test(t)), items.join('\n'));
    await s.screenshot('preview-lesson-checks', { clip: await page.locator('.side-pane').boundingBox() });
    // The step link opens that step.
    await checks.locator('button', { hasText: 'Step 2 (Nothing to do)' }).first().click();
    await page.locator('.step-heading', { hasText: 'Nothing to do' }).waitFor();
    await checks.locator('button', { hasText: 'Step 1 (A broken reference)' }).click();
    await page.locator('.step-heading', { hasText: 'A broken reference' }).waitFor();

    // A learner's working query in the broken step: the lesson is at fault, not the query.
    await typeQuery(page, 'Hosts\n| where Risk > 5');
    await runWithKeyboard(page);
    const verdict = page.locator('.work-pane .verdict.error');
    await verdict.waitFor();
    assert.equal(await verdict.locator('.verdict-title').textContent(), 'This step cannot be checked');
    assert.match(await verdict.locator('.verdict-message').textContent(), /^This step's reference solution does not run: .*Rsik.* — tell the lesson's author\./);
    assert.doesNotMatch(await verdict.textContent(), /The query has an error/);
    assert.deepEqual(await gridColumn(page, 'Host'), ['ws-002', 'srv-01'], 'the learner\'s result is still shown');
    await s.screenshot('preview-broken-reference');

    // A lesson without mistakes says so.
    await gotoHome(page, s.site.url);
    await openFiles('mini.toml', 'mini-hosts.csv');
    await waitLessonReady(page);
    await page.locator('.lesson-checks').waitFor();
    assert.match(await page.locator('.lesson-checks-summary').textContent(), /^All 1 step pass|^No problems/);
  });

  test('the expected-vs-yours preview shows the column that differs, even far to the right', async () => {
    await gotoHome(page, s.site.url);
    await openFiles('wide.toml', 'wide.csv');
    await waitLessonReady(page);
    await typeQuery(page, 'Wide\n| extend Risk = Risk + 1\n| order by Host asc');
    await runWithKeyboard(page);
    const preview = page.locator('.work-pane .verdict.fail .preview');
    await preview.waitFor();
    // The differing column, found from the cells, is inside the visible part of both tables.
    const seen = await preview.locator('.preview-table').evaluateAll((boxes) =>
      boxes.map((box) => {
        const heads = [...box.querySelectorAll('thead th')];
        const name = 'Risk';
        const th = heads.find((h) => h.textContent === name);
        const b = box.getBoundingClientRect();
        const r = th.getBoundingClientRect();
        return { inside: r.left >= b.left - 1 && r.right <= b.right + 1, scrolled: box.scrollLeft, wide: box.scrollWidth > box.clientWidth };
      }),
    );
    for (const t of seen) {
      assert.ok(t.wide, 'the preview is wider than its box (the case that hid the difference)');
      assert.ok(t.inside, `the differing column is in view: ${JSON.stringify(seen)}`);
    }
    const marked = await preview.locator('th.differs').allTextContents();
    assert.deepEqual(marked, ['Risk', 'Risk'], 'the column is marked in both tables');
    await s.screenshot('preview-differing-column');
  });

  test('hostile lesson text and chart labels show as text; nothing runs', async () => {
    await gotoHome(page, s.site.url);
    const dialogs = s.log.dialogs.length;
    await openFiles('hostile.toml', 'evil-labels.csv');
    await waitLessonReady(page);
    const view = page.locator('.step-view');
    // The payloads are visible as the text the author wrote.
    const narrative = await view.locator('.narrative').textContent();
    assert.ok(narrative.includes("<script>window.__pwned = 'script'</script>"), narrative);
    assert.ok(narrative.includes(`<img src=x onerror="window.__pwned = 'img'">`), narrative);
    assert.ok(narrative.includes('<svg onload='), narrative);
    assert.equal(await page.locator('.step-heading').textContent(), "<svg onload=window.__pwned='step-title'>");
    assert.equal(await page.locator('.lesson-title').textContent(), "<img src=x onerror=window.__pwned='title'> Hostile");
    assert.ok((await page.locator('#lesson-picker option').allTextContents()).includes("<img src=x onerror=window.__pwned='title'> Hostile"));
    // The javascript: link is not a link.
    const blocked = view.locator('.narrative .link-blocked', { hasText: 'click me' });
    assert.equal(await blocked.count(), 1);
    await blocked.click();
    assert.equal(await page.locator('.app-main a[href^="javascript:" i]').count(), 0);
    // Hints, solution and explanation too.
    await view.locator('button', { hasText: /^Show a hint/ }).click();
    await view.locator('.hint').waitFor();
    assert.ok((await view.locator('.hint').textContent()).includes('<iframe src='));
    await view.locator('button', { hasText: 'Show solution' }).click();
    await view.locator('.solution button', { hasText: 'Put it in the editor' }).click();
    await runWithKeyboard(page);
    await page.locator('.work-pane .verdict.pass').waitFor();
    await view.locator('.explanation').waitFor();
    assert.ok((await view.locator('.explanation').textContent()).includes("<script>window.__pwned = 'script'</script>"));
    const svg = page.locator('#panel-chart svg.chart');
    await svg.waitFor();
    assert.ok((await svg.textContent()).includes("<script>window.__pwned='chart-title'</script>"));
    assert.ok((await svg.textContent()).includes('<script>window.__pw'), 'the label is drawn as text');
    assert.equal(await svg.locator('script, img, iframe, foreignObject, svg').count(), 0);
    // No element was made from any of it.
    assert.equal(await page.locator('.app-main script, .app-main iframe, .app-main img, .app-main object, .app-main embed').count(), 0);
    assert.equal(await page.locator('.app-main svg:not(.icon):not(.chart)').count(), 0);
    assert.equal(await page.locator('.app-main [onerror], .app-main [onload], .app-main [onclick]').count(), 0);
    await s.screenshot('12-hostile-lesson');
    await settle(page);
    assert.equal(await pwned(), undefined, 'no payload ran');
    const newDialogs = s.log.dialogs.slice(dialogs).filter((d) => d.type !== 'confirm' || !/Show the solution/.test(d.message));
    assert.deepEqual(newDialogs, [], 'no dialog besides the solution confirmation');
    // The table description from the lesson file is text in the schema pane.
    assert.ok((await page.locator('.schema-pane .schema-desc').first().textContent()).includes('<img src=x'));
  });

  test('share links with hostile ids or queries are refused or shown as text', async () => {
    const fresh = await s.newPage();
    const p = fresh.page;
    try {
      await p.goto(`${s.site.url}#lesson=<script>window.__pwned=1</script>&step=x`);
      const notice = p.locator('.notice-error');
      await notice.first().waitFor();
      assert.match(await notice.first().textContent(), /This link could not be used: the link's lesson '.*' is not a valid id/);
      assert.equal(await p.locator('.notices script').count(), 0);
      await p.locator('.lesson-card .lesson-open').first().waitFor();

      await p.goto('about:blank');
      await p.goto(`${s.site.url}#lesson=no-such-lesson&step=x`);
      await p.locator('.notice-error', { hasText: "names a lesson 'no-such-lesson'" }).waitFor();

      // A query carrying markup lands in the editor as text (playground link: no lesson).
      const query = `print x = "</textarea><img src=x onerror=window.__pwned=2>"\n// <script>window.__pwned=3</script>`;
      await p.goto('about:blank');
      await p.goto(`${s.site.url}#${shareFragment({ query })}`);
      await p.locator('.playground-pane').waitFor();
      assert.equal(await p.locator('#query').inputValue(), query);
      assert.equal(await p.locator('.editor-overlay img, .editor-overlay script').count(), 0);
      assert.ok((await p.locator('.editor-overlay').textContent()).includes('<img src=x onerror=window.__pwned=2>'));
      await runWithKeyboard(p);
      await p.locator('.results .run-errors, .results .result-grid').first().waitFor();
      assert.equal(await pwned(p), undefined);
    } finally {
      await fresh.context.close();
    }
  });

  test('?lesson= loads a same-site lesson, and refuses other schemes', async () => {
    const fresh = await s.newPage();
    const p = fresh.page;
    try {
      await p.goto(`${s.site.url}?lesson=lessons/vpn-logins.toml`);
      await waitLessonReady(p);
      assert.equal(await p.locator('.lesson-title').textContent(), 'After the phish: VPN sign-ins');
      assert.equal(await p.locator('.schema-pane .schema-table').first().textContent(), 'VpnLogins');
      assert.ok(s.log.requests.some((u) => u.endsWith('/kqlab/lessons/vpn-logins.csv')), 'the CSV next to the lesson is fetched');

      for (const bad of ['javascript:window.__pwned=1', 'http://example.invalid/lesson.toml', '//example.invalid/lesson.toml', 'data:text/plain,id=1']) {
        await p.goto('about:blank');
        await p.goto(`${s.site.url}?lesson=${encodeURIComponent(bad)}`);
        const notice = p.locator('.notice-error');
        await notice.first().waitFor();
        assert.match(await notice.first().textContent(), /is not an https:\/\/ address or a path on this site/, bad);
        assert.equal(await p.locator('.notices script, .notices a').count(), 0);
        assert.equal(await pwned(p), undefined);
      }
      // A missing lesson: the 404 is what the link asked for, and the page says so.
      await s.expectProblems([/no-such-lesson\.toml: HTTP 404/, /status of 404/], async () => {
        await p.goto('about:blank');
        await p.goto(`${s.site.url}?lesson=lessons/no-such-lesson.toml`);
        const card = p.locator('.lesson-card.failed');
        await card.waitFor();
        assert.match(await card.textContent(), /could not load lessons\/no-such-lesson\.toml: the server answered 404/);
      });
    } finally {
      await fresh.context.close();
    }
  });

  // Issue 4 asks for ?lesson=URL to load a lesson file from a URL, and issue 7 allows exactly
  // that one remote request. The page's CSP (connect-src 'self') blocks it, so this cannot
  // work yet: reported to the lead. Here the remote server is simulated by the test.
  test('?lesson=https://… loads a lesson from another site', async () => {
    const remote = 'https://lessons.example.invalid/course/remote.toml';
    const fresh = await s.newPage();
    const p = fresh.page;
    try {
      await fresh.context.route('https://lessons.example.invalid/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/plain', headers: { 'Access-Control-Allow-Origin': '*' }, body: MINI.replace(/\[dataset\][\s\S]*?(?=\[\[steps\]\])/, '').replace(/Hosts/g, 'UrlClickEvents | project Host = AccountUpn, Risk = 9 | take 2') }),
      );
      await s.expectProblems([/Content Security Policy/], async () => {
        await p.goto(`${s.site.url}?lesson=${encodeURIComponent(remote)}`);
        await p.locator('.lesson-card.failed, .step-view').first().waitFor();
      }, { required: false });
      assert.equal(await p.locator('.lesson-card.failed').count(), 0, await p.locator('.lesson-card.failed').textContent().catch(() => ''));
      await waitLessonReady(p);
    } finally {
      await fresh.context.close();
    }
  });
});
