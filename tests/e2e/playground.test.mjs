// The playground: example queries, and CSV files loaded as tables (parsed in the browser),
// including a malformed file and one whose values carry markup. Served under /kqlab/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSite } from './harness.mjs';
import { gotoHome, gridColumn, runWithKeyboard, typeQuery } from './kqlab.mjs';

describe('the playground', () => {
  let s;
  let page;
  let dir;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kqlab-e2e-'));
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

  /** Picks files in the playground's "Load a CSV file as a table…" input. */
  async function loadCsv(name, text) {
    const path = join(dir, name);
    await writeFile(path, text);
    await page.locator('.playground-pane input[type="file"]').setInputFiles(path);
  }

  test('opens from the picker; an example link fills the editor and runs', async () => {
    await gotoHome(page, s.site.url);
    await page.selectOption('#lesson-picker', 'playground');
    await page.locator('.playground-pane').waitFor();
    await page.locator('#query').waitFor();
    const examples = await page.locator('.playground-pane .examples button').allTextContents();
    assert.ok(examples.length >= 3, `examples: ${examples}`);
    assert.match(await page.locator('#query').inputValue(), /^UrlClickEvents/);

    await page.locator('.examples button', { hasText: 'Threat verdicts' }).click();
    const query = await page.locator('#query').inputValue();
    assert.match(query, /^UrlClickEvents\n\| where ThreatTypes != ""\n\| summarize /);
    await runWithKeyboard(page);
    const types = await gridColumn(page, 'ThreatTypes');
    assert.ok(types.length > 0 && types.every((t) => t !== ''), `threat types: ${types}`);
    assert.equal(await page.locator('.verdict').count(), 0, 'no verdict outside a lesson');

    await page.locator('.examples button', { hasText: 'chart' }).first().click();
    await runWithKeyboard(page);
    await page.locator('#panel-chart svg.chart path.series').waitFor();
    await s.screenshot('08-playground-chart');
  });

  test('a table made on first use shows its row count in the schema pane once a query has read it', async () => {
    const pane = (name) => page.locator('.schema-pane details', { has: page.locator('.schema-table', { hasText: new RegExp(`^${name}$`) }) });
    await pane('DeviceProcessEvents').waitFor();
    assert.match(await pane('DeviceProcessEvents').locator('.schema-rows').textContent(), /made when first queried/);
    await typeQuery(page, 'DeviceProcessEvents\n| count');
    await runWithKeyboard(page);
    await page.locator('[data-testid="row-count"]', { hasText: '1 row' }).waitFor();
    const [count] = await gridColumn(page, 'Count');
    assert.match(count, /^[\d,]+$/, `count: ${count}`);
    // The pane now gives the rows the run made; a table no query read is still waiting.
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('.schema-pane details')].some((d) => d.querySelector('.schema-table')?.textContent === 'DeviceProcessEvents' && d.querySelector('.schema-rows')?.textContent.trim().replaceAll(',', '') === `${want} rows`),
      count.replaceAll(',', ''),
    );
    assert.match(await pane('DeviceRegistryEvents').locator('.schema-rows').textContent(), /made when first queried/);
    await s.screenshot('09a-playground-table-made');
  });

  test('a CSV file becomes a table in the schema pane and can be queried', async () => {
    await loadCsv(
      'e2e-hosts.csv',
      [
        'Host,Owner,Risk:int,LastSeen',
        'ws-001,alice@contoso.com,3,2026-11-20T10:00:00Z',
        'ws-002,bob@contoso.com,7,2026-11-21T11:00:00Z',
        'srv-01,"carol, ops",9,2026-11-22T12:00:00Z',
        '',
      ].join('\n'),
    );
    const notice = page.locator('.notice', { hasText: 'e2e-hosts.csv' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /Loaded e2e-hosts\.csv as table e2e_hosts \(3 rows\)\./);
    const table = page.locator('.schema-pane details', { has: page.locator('.schema-table', { hasText: /^e2e_hosts$/ }) });
    await table.waitFor();
    assert.match(await table.locator('.schema-rows').textContent(), /3 rows/);
    await table.locator('summary').click();
    const cols = await table.locator('.schema-columns .schema-column').evaluateAll((b) => b.map((x) => `${x.querySelector('.col-name').textContent}:${x.querySelector('.col-type').textContent}`));
    assert.deepEqual(cols, ['Host:string', 'Owner:string', 'Risk:int', 'LastSeen:datetime']);

    await page.locator('#query').fill('e2e_hosts\n| where Risk > 5\n| project Host, Owner, Risk\n| order by Host asc');
    await runWithKeyboard(page);
    await page.locator('[data-testid="row-count"]', { hasText: '2 rows' }).waitFor();
    assert.deepEqual(await gridColumn(page, 'Host'), ['srv-01', 'ws-002']);
    assert.deepEqual(await gridColumn(page, 'Owner'), ['carol, ops', 'bob@contoso.com']);
    // The built-in tables are still there next to it.
    await page.locator('#query').fill('UrlClickEvents | count');
    await runWithKeyboard(page);
    await page.locator('[data-testid="row-count"]', { hasText: '1 row' }).waitFor();
    await s.screenshot('09-playground-csv');
  });

  test('a malformed CSV file gets a message naming the line; the playground keeps working', async () => {
    await loadCsv('broken.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    const notice = page.locator('.notice-error', { hasText: 'broken.csv' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /broken\.csv: line 3: expected 3 fields, found 2/);
    assert.equal(await page.locator('.schema-pane .schema-table', { hasText: /^broken$/ }).count(), 0, 'no half-loaded table');
    await loadCsv('empty.csv', '');
    await page.locator('.notice-error', { hasText: 'empty.csv' }).waitFor();
    assert.match(await page.locator('.notice-error', { hasText: 'empty.csv' }).textContent(), /line 1: the file is empty/);
    await page.locator('#query').fill('e2e_hosts | count');
    await runWithKeyboard(page);
    assert.deepEqual(await gridColumn(page, 'Count'), ['3']);
  });

  test('markup in CSV values shows as text in the grid and in chart labels', async () => {
    await page.evaluate(() => delete window.__pwned);
    await loadCsv(
      'evil.csv',
      [
        'Label,N',
        '"<script>window.__pwned=1</script>",5',
        '"<img src=x onerror=window.__pwned=2>",3',
        '"<svg onload=window.__pwned=3></svg>",2',
        '"</text><foreignObject><iframe src=javascript:window.__pwned=4>",1',
      ].join('\n'),
    );
    await page.locator('.notice', { hasText: 'Loaded evil.csv' }).waitFor();
    await page.locator('#query').fill('evil\n| summarize Total = sum(N) by Label\n| order by Total desc\n| render columnchart with (title="<script>window.__pwned=5</script>")');
    await runWithKeyboard(page);
    const svg = page.locator('#panel-chart svg.chart');
    await svg.waitFor();
    assert.equal(await svg.locator('script, img, iframe, foreignObject, svg').count(), 0, 'no element made from the data');
    const text = await svg.textContent();
    assert.ok(text.includes('<script>window.__pwned=5</script>'), 'the title is shown as text');
    assert.ok(text.includes('<img src=x onerror=window.__pwned=2>') || text.includes('<img src=x onerror'), `labels shown as text: ${text}`);
    await s.screenshot('10-hostile-chart');
    await page.locator('#tab-table').click();
    const labels = await gridColumn(page, 'Label');
    assert.equal(labels[0], '<script>window.__pwned=1</script>');
    assert.equal(await page.locator('.grid script, .grid img, .grid svg, .grid iframe').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing from the file ran');
  });
});
