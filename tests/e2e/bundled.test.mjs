// A lesson that bundles files for externaldata and a watchlist, opened from disk as an
// instructor previews it: the page reads the files next to the lesson (nothing is fetched
// from another origin), and a query copied verbatim with its GitHub URL runs on them.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSite } from './harness.mjs';
import { gotoHome, typeQuery, runWithKeyboard } from './kqlab.mjs';

const LESSON = `id = "bundled-files"
title = "Bundled files"
summary = "externaldata and a watchlist from files next to the lesson."

[[dataset.external]]
url = "https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"
file = "c2-ips.csv"

[[dataset.watchlist]]
name = "VIPs"
file = "vips.csv"

[[steps]]
id = "c2"
title = "Known C2"
narrative = "A feed of command-and-control addresses."
task = "Which laptop talks to an address of the feed?"
solution = '''
let C2 = externaldata(DestIP: string, Port: int, Comment: string) [@"https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"] with (format="csv", ignoreFirstRecord=true);
DeviceNetworkEvents
| where RemoteIP in ((C2 | project DestIP))
| distinct DeviceName'''
`;

describe('files a lesson bundles', () => {
  let s;
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kqlab-bundled-'));
    await writeFile(join(dir, 'bundled-files.toml'), LESSON);
    await writeFile(join(dir, 'c2-ips.csv'), 'DestIP,Port,Comment\n192.0.2.1,443,unrelated\n198.51.100.87,443,implant\n');
    await writeFile(join(dir, 'vips.csv'), 'Upn,Title\nemma.vargas@contoso.com,Finance lead\n');
    s = await openSite();
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    if (s) {
      const problems = s.problems();
      await s.close();
      assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
    }
  });

  test('externaldata with a GitHub URL and _GetWatchlist read the bundled files', async () => {
    const page = s.page;
    await gotoHome(page, s.site.url);
    await page.locator('input[type="file"][aria-label="Open a lesson file"]').setInputFiles(['bundled-files.toml', 'c2-ips.csv', 'vips.csv'].map((n) => join(dir, n)));
    await page.locator('#query').waitFor({ timeout: 60_000 });
    await typeQuery(page, [
      'let C2 = externaldata(DestIP: string, Port: int, Comment: string) [@"https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"] with (format="csv", ignoreFirstRecord=true);',
      'DeviceNetworkEvents',
      '| where RemoteIP in ((C2 | project DestIP))',
      "| extend VIP = toscalar(_GetWatchlist('VIPs') | project SearchKey)",
      '| distinct DeviceName, RemoteIP, VIP',
    ].join('\n'));
    await runWithKeyboard(page);
    await page.locator('.grid', { hasText: '198.51.100.87' }).waitFor({ timeout: 60_000 });
    const grid = await page.locator('.grid').textContent();
    assert.match(grid, /ctso-lt-2417\.corp\.contoso\.com/);
    assert.match(grid, /emma\.vargas@contoso\.com/);
    assert.equal(await page.locator('.editor-error').count(), 0);
    await s.screenshot('bundled-externaldata');

    await typeQuery(page, 'externaldata(x: string) ["https://example.com/other.csv"]');
    await runWithKeyboard(page);
    await page.getByText("'https://example.com/other.csv' is not bundled here").first().waitFor({ timeout: 30_000 });
  });
});
