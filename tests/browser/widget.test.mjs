// The embeddable widget (web/widget.js) on a portal's page: served from the same server
// (the test page copied into the served folder), and from another origin with a strict
// Content-Security-Policy of its own, as a portal would embed it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axe, formatViolations, HERE, launchBrowser, newPage, screenshot, startServer } from './harness.mjs';

let server;
let browser;
let portal;

// A stand-in for a portal on another origin: serves the widget test page with script
// and data from the tnohaku server and a strict policy of its own.
function startPortal(apiUrl) {
  const page = fs.readFileSync(path.join(HERE, 'widget-test.html'), 'utf8')
    .replace('src="widget.js"', `src="${apiUrl}/widget.js"`)
    .replace('data-api=""', `data-api="${apiUrl}"`);
  const css = fs.readFileSync(path.join(HERE, 'widget-test.css'), 'utf8');
  const policy = `default-src 'self'; script-src 'self' ${apiUrl}; connect-src 'self' ${apiUrl}; style-src 'self'; `
    + "img-src 'self' data:; object-src 'none'; base-uri 'none'";
  const srv = http.createServer((request, response) => {
    if (request.url === '/' || request.url.startsWith('/widget-test.html')) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': policy });
      response.end(page);
    } else if (request.url === '/widget-test.css') {
      response.writeHead(200, { 'Content-Type': 'text/css' });
      response.end(css);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve) => {
    srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, close: () => srv.close() }));
  });
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  portal = await startPortal(server.url);
});

after(async () => {
  if (browser) await browser.close();
  if (portal) portal.close();
  if (server) await server.stop();
});

async function ready(page, selector) {
  await page.waitForFunction((sel) => {
    const host = document.querySelector(sel);
    return host && host.getAttribute('data-tnohaku-state') === 'ready';
  }, selector, { timeout: 10000 });
}

describe('widget', () => {
  it('renders a scoped search with the initial filters, searches and suggests', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/widget-test.html`);
    await ready(page, '#widget-fi');
    await ready(page, '#widget-sv');

    const fi = page.locator('#widget-fi');
    const status = (await fi.locator('.tw-status').textContent()).trim();
    assert.match(status, /^\d+ tulosta\.$/, status);
    const initial = Number(status.split(' ')[0]);
    // The same count as the API gives for region 17.
    const api = await (await fetch(`${server.url}/v1/search?region=17&limit=0&facets=none`)).json();
    assert.equal(initial, api.total);
    assert.equal(await fi.locator('li.card').count(), Math.min(5, initial));
    const moreHref = await fi.locator('.tw-more a').getAttribute('href');
    assert.equal(moreHref, `${server.url}/?region=17`);

    // Styles are scoped: the portal's dashed orange borders do not reach the cards.
    const border = await fi.locator('li.card .card-body').first().evaluate((n) => getComputedStyle(n).borderTopStyle);
    assert.equal(border, 'solid');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.card').length), 0, 'nothing outside the shadow roots');

    // The Swedish widget: its own language, type filter, limit and heading level.
    const sv = page.locator('#widget-sv');
    assert.equal(await sv.locator('h3.tw-title').textContent(), 'Sök vägledningstjänster');
    assert.match(await sv.locator('.tw-status').textContent(), /resultat/);
    assert.ok(await sv.locator('li.card').count() <= 3);
    assert.ok((await sv.locator('.card-type').allTextContents()).every((text) => text === 'Tjänst'));

    await assertAccessible(page, 'widget page');
    await screenshot(page, 'widget');

    // Suggestions by keyboard in the shadow DOM, then a search.
    const input = fi.locator('input[role="combobox"]');
    await input.focus();
    await page.keyboard.type('ohjaa', { delay: 30 });
    await fi.locator('[role="option"]').first().waitFor();
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'tw-q-list-opt-0');
    const chosen = await fi.locator('#tw-q-list-opt-0 .option-text').textContent();
    await assertAccessible(page, 'widget suggestions');
    await page.keyboard.press('Enter');
    await page.waitForFunction((q) => {
      const root = document.querySelector('#widget-fi').shadowRoot;
      return new URL(root.querySelector('.tw-more a').href).searchParams.get('q') === q && !root.querySelector('.hits[aria-busy]');
    }, chosen);
    assert.equal(await input.inputValue(), chosen);
    const after = Number((await fi.locator('.tw-status').textContent()).trim().split(' ')[0]);
    assert.ok(after >= 1 && after <= initial, `a query within region 17 (${after} of ${initial})`);
    const first = fi.locator('a.card-link').first();
    const href = new URL(await first.getAttribute('href'));
    assert.equal(href.origin, server.url);
    assert.equal(href.searchParams.get('region'), '17');
    assert.ok(href.searchParams.get('record'));

    // A result opens the full page's detail view.
    await first.click();
    await page.waitForSelector('#detail-title');
    assert.equal(new URL(page.url()).searchParams.get('record'), href.searchParams.get('record'));
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  it('works on a portal of another origin under a strict Content-Security-Policy', async () => {
    const page = await newPage(browser);
    await page.goto(`${portal.url}/widget-test.html`);
    await ready(page, '#widget-fi');
    await ready(page, '#widget-sv');
    const fi = page.locator('#widget-fi');
    assert.match(await fi.locator('.tw-status').textContent(), /tulosta/);
    // widget.css came in as a constructed style sheet despite style-src 'self'.
    assert.equal(await fi.locator('.tw-button').evaluate((n) => getComputedStyle(n).backgroundColor), 'rgb(0, 65, 111)');
    await fi.locator('input[role="combobox"]').fill('ohjaamo');
    await fi.locator('input[role="combobox"]').press('Enter');
    await page.waitForFunction(() => document.querySelector('#widget-fi').shadowRoot.querySelector('.tw-more a').href.includes('q=ohjaamo'));
    assert.ok(await fi.locator('a.card-link').count() >= 1);
    await assertAccessible(page, 'widget on another origin');
    await screenshot(page, 'widget-cross-origin', { fullPage: false });
    assert.deepEqual(page.problems(), [], 'no CSP violations or CORS errors');
    await page.context().close();
  });
});

async function assertAccessible(page, name) {
  const violations = await axe(page);
  assert.equal(violations.length, 0, `axe on ${name}:\n${formatViolations(violations)}`);
}
