// Shared set-up for the end-to-end tests: serve the built site under a sub-path, drive
// Debian's Chromium with playwright-core, and watch everything the page does.
//
// The harness fails a test run on any request that leaves the site's origin (such requests
// are also blocked), on console errors, uncaught page errors, failed same-origin requests and
// on any alert()/prompt() dialog (the app only ever asks confirm(), which is accepted unless a
// test says otherwise). Screenshots go to tests/e2e/artifacts/ (ignored by git).

import { chromium } from 'playwright-core';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(here, 'artifacts');
export const ROOT = join(here, '..', '..');

/** Chromium flags for a closed network: no background traffic, no sandbox (we run as root). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

/**
 * Starts the server and a browser page on the site. Options: `dir` (built site, default
 * dist/), `base` (sub-path, default /kqlab/), `viewport`, `colorScheme`.
 *
 * `newPage()` opens another page in a fresh browser context (empty storage), watched the same
 * way; `dialogs.accept = false` makes the next confirm() dialogs answer "Cancel".
 */
export async function openSite({ dir = join(ROOT, 'dist'), base = '/kqlab/', viewport = { width: 1280, height: 860 }, colorScheme = 'light', hold = null } = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  const site = await startServer({ dir, base, hold });
  // playwright-core starts Chromium with a fresh temporary profile on every launch.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const log = { requests: [], outside: [], consoleErrors: [], pageErrors: [], failed: [], dialogs: [] };
  const dialogs = { accept: true };
  const contexts = [];

  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: true, ...options });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === site.origin) return route.continue();
      log.outside.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => log.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') log.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => log.pageErrors.push(String(e && e.stack ? e.stack : e)));
    page.on('requestfailed', (r) => {
      const url = new URL(r.url());
      if (url.origin === site.origin) log.failed.push(`${r.url()}: ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).origin === site.origin) log.failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    page.on('dialog', async (d) => {
      log.dialogs.push({ type: d.type(), message: d.message() });
      if (d.type() === 'confirm' && dialogs.accept) await d.accept();
      else await d.dismiss();
    });
    return { context, page };
  }

  const { context, page } = await newPage();

  return {
    site,
    browser,
    context,
    page,
    log,
    dialogs,
    newPage,
    /** Saves a screenshot of the viewport (or `options`) as artifacts/<name>.png; returns its path. */
    async screenshot(name, options = {}, onPage = page) {
      const path = join(ARTIFACTS, `${name}.png`);
      await onPage.screenshot({ path, fullPage: false, ...options });
      return path;
    },
    /** Problems seen so far, as readable lines (empty when all is well). */
    problems() {
      return [
        ...log.outside.map((u) => `request outside the origin: ${u}`),
        ...log.consoleErrors.map((t) => `console error: ${t}`),
        ...log.pageErrors.map((t) => `page error: ${t}`),
        ...log.failed.map((t) => `failed request: ${t}`),
        ...log.dialogs.filter((d) => d.type !== 'confirm').map((d) => `unexpected ${d.type} dialog: ${d.message}`),
      ];
    },
    /**
     * Runs `fn`, then removes the console errors and failed requests it caused that match one
     * of `patterns` (regular expressions): problems a test provoked on purpose, such as a 404
     * for a lesson URL that does not exist. Each pattern must have matched at least once
     * unless `required` is false.
     */
    async expectProblems(patterns, fn, { required = true } = {}) {
      const start = { consoleErrors: log.consoleErrors.length, failed: log.failed.length };
      await fn();
      const used = new Set();
      for (const key of ['consoleErrors', 'failed']) {
        const fresh = log[key].slice(start[key]).filter((line) => {
          const i = patterns.findIndex((re) => re.test(line));
          if (i >= 0) used.add(i);
          return i < 0;
        });
        log[key].splice(start[key], Infinity, ...fresh);
      }
      const unused = patterns.filter((_, i) => !used.has(i));
      if (required && unused.length) throw new Error(`expected problems that did not happen: ${unused.join(', ')}`);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await site.close();
    },
  };
}

/** Waits until `fn` (run in the page) returns a truthy value, polling every animation frame. */
export async function waitForPage(page, fn, arg, timeout = 10_000) {
  const handle = await page.waitForFunction(fn, arg, { timeout, polling: 'raf' });
  return handle.jsonValue();
}

/**
 * Opens the site before the tests of the enclosing `describe` block and closes it after them,
 * failing the block on any problem the page reported (a request outside the origin, a console
 * or page error) unless it matches `allowed` (problems a test provokes on purpose). Returns an
 * object whose `s` (the site) and `page` are set once the site is open.
 */
export function siteForSuite({ allowed = null, ...options } = {}) {
  const ctx = { s: null, page: null };
  before(async () => {
    ctx.s = await openSite(options);
    ctx.page = ctx.s.page;
  });
  after(async () => {
    if (!ctx.s) return;
    const problems = ctx.s.problems().filter((p) => !(allowed && allowed.test(p)));
    await ctx.s.close();
    assert.deepEqual(problems, [], 'the page made outside requests or reported errors');
  });
  return ctx;
}
