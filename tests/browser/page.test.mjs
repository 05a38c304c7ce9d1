// The search page against a real tnohaku-server with tests/fixtures/tiny.jsonl: search,
// facets, records, languages, history, keyboard use, map, near me, small screens, and
// axe-core on every view.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axe, formatViolations, launchBrowser, newPage, screenshot, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Waits until the results are rendered and announced.
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('#hits[aria-busy]')
    && document.getElementById('status').textContent.trim() !== '', null, { timeout: 10000 });
}

// The result count announced in the live region.
async function announcedTotal(page) {
  const text = (await page.textContent('#status')).trim();
  if (/^(Ei tuloksia|Inga resultat|No results)/.test(text)) return 0;
  const match = /^(\d+)\s/.exec(text);
  assert.ok(match, `no count in the status: ${text}`);
  return Number(match[1]);
}

async function cardIds(page) {
  return page.$$eval('#hits > li.card', (items) => items.map((li) => li.dataset.id));
}

async function assertAccessible(page, name) {
  const violations = await axe(page);
  assert.equal(violations.length, 0, `axe on ${name}:\n${formatViolations(violations)}`);
}

function assertClean(page) {
  assert.deepEqual(page.problems(), [], 'console errors, CSP violations or page errors');
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

describe('search page', () => {
  it('runs axe-core for real (a known violation is found)', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.evaluate(() => document.querySelector('#results-heading').after(document.createElement('img')));
    const violations = await axe(page);
    assert.ok(violations.some((v) => v.id === 'image-alt'), formatViolations(violations));
    await page.context().close();
  });

  it('browses everything, then a query narrows and highlights', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);
    const all = await announcedTotal(page);
    assert.ok(all >= 10, `browse shows the whole fixture (${all})`);
    assert.equal((await cardIds(page)).length, 10, 'first page of ten');
    assert.equal(await page.getAttribute('html', 'lang'), 'fi');
    await assertAccessible(page, 'search view');
    await screenshot(page, 'search-browse');

    await page.fill('#q', 'ohjaamo');
    await page.press('#q', 'Enter');
    await settled(page);
    const some = await announcedTotal(page);
    assert.ok(some > 0 && some < all, `a query narrows (${some} of ${all})`);
    assert.match(page.url(), /[?&]q=ohjaamo/);
    assert.ok((await cardIds(page)).includes('ohjaamo-oulu'));
    assert.ok(await page.$$eval('#hits mark', (marks) => marks.length) > 0, 'highlights as <mark>');
    assert.match(await page.textContent('#status'), /Haku: ohjaamo/);
    assert.match(await page.title(), /^ohjaamo – /);
    await assertAccessible(page, 'results view');
    await screenshot(page, 'search-results');

    // A misspelling: "did you mean" offers the indexed word.
    await page.fill('#q', 'ohjamo');
    await page.press('#q', 'Enter');
    await settled(page);
    assert.ok(await page.isVisible('#did-you-mean a'));
    assert.equal(await page.textContent('#did-you-mean a'), 'ohjaamo');
    await page.click('#did-you-mean a');
    await settled(page);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'ohjaamo');
    assert.equal(await page.inputValue('#q'), 'ohjaamo');

    // Nothing found.
    await page.fill('#q', 'qqxyzzyvv');
    await page.press('#q', 'Enter');
    await settled(page);
    assert.match(await page.textContent('#status'), /^Ei tuloksia/);
    assert.equal((await cardIds(page)).length, 0);
    assert.ok(await page.isHidden('#more'));
    assertClean(page);
    await page.context().close();
  });

  it('ticking facets changes counts and results; chips remove filters', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);
    const all = await announcedTotal(page);
    const typeCountBefore = await page.textContent('label[for="f-type-service"] .count');

    await page.click('label[for="f-region-17"]');
    await settled(page);
    assert.match(page.url(), /[?&]region=17(&|$)/);
    const inRegion = await announcedTotal(page);
    assert.ok(inRegion > 0 && inRegion < all, `region 17 narrows (${inRegion} of ${all})`);
    assert.ok(await page.isChecked('#f-region-17'));
    assert.equal(await focusedId(page), 'f-region-17', 'focus stays on the ticked box');
    const typeCountAfter = await page.textContent('label[for="f-type-service"] .count');
    assert.notEqual(typeCountAfter, typeCountBefore, 'facet counts follow the filter');
    assert.match(await page.textContent('#chips'), /Alue: Pohjois-Pohjanmaa/);

    // The municipalities of the region behind their disclosure button.
    const disclosure = page.locator('#toggle-munis-17');
    assert.equal(await disclosure.getAttribute('aria-expanded'), 'false');
    await disclosure.click();
    assert.equal(await page.getAttribute('#toggle-munis-17', 'aria-expanded'), 'true');
    assert.ok(await page.isVisible('label[for="f-municipality-564"]'), 'Oulu listed under its region');

    await page.click('label[for="f-type-service"]');
    await settled(page);
    const services = await announcedTotal(page);
    assert.ok(services > 0 && services < inRegion, `type=service narrows further (${services})`);
    assert.match(page.url(), /type=service/);
    const ids = await cardIds(page);
    assert.equal(ids.length, services);
    assert.ok(await page.$$eval('#hits .card-type', (nodes) => nodes.every((n) => n.textContent === 'Palvelu')));

    await page.click('label[for="f-status-active"]');
    await settled(page);
    assert.match(page.url(), /status=active/);
    assert.match(await page.textContent('#chips'), /Käynnissä nyt/);
    await screenshot(page, 'search-facets');
    await assertAccessible(page, 'filtered results');

    // Remove the region chip: the count goes up again and focus moves to the next chip.
    await page.click('#chip-region-17');
    await settled(page);
    assert.doesNotMatch(page.url(), /region=/);
    assert.ok(await announcedTotal(page) >= services);
    assert.match(await focusedId(page), /^chip-/);
    await page.click('#chip-clear');
    await settled(page);
    assert.equal(await announcedTotal(page), all);
    assert.equal(await page.$$eval('#chips .chip', (c) => c.length), 0);

    // Back button: the filters come back.
    await page.goBack();
    await settled(page);
    assert.match(page.url(), /type=service/);
    assert.ok(await page.isChecked('#f-type-service'));
    assertClean(page);
    await page.context().close();
  });

  it('opens a record, by click and by URL, and goes back', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/?q=ohjaamo`);
    await settled(page);
    const link = page.locator('#hits a.card-link[data-record="ohjaamo-oulu"]');
    const name = (await link.textContent()).trim();
    await link.click();
    await page.waitForSelector('#detail:not([hidden]) #detail-title');
    assert.match(page.url(), /record=ohjaamo-oulu/);
    assert.equal((await page.textContent('#detail-title')).trim(), name);
    assert.equal(await focusedId(page), 'detail-title', 'focus moves to the heading');
    assert.ok(await page.isHidden('#search-view'));
    const detail = await page.textContent('#detail');
    assert.match(detail, /Torikatu 10/, 'locations');
    assert.match(detail, /Oulu/, 'municipality label');
    assert.match(detail, /Maksuton/, 'charge');
    assert.equal(await page.getAttribute('#detail a.external', 'href'), 'https://www.ouka.fi/ohjaamo');
    await assertAccessible(page, 'detail view');
    await screenshot(page, 'detail');

    await page.goBack();
    await settled(page);
    assert.doesNotMatch(page.url(), /record=/);
    assert.ok(await page.isVisible('#hits'));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.record), 'ohjaamo-oulu',
      'focus returns to the opened result');
    await page.goForward();
    await page.waitForSelector('#detail:not([hidden]) #detail-title');

    // Straight from a shared link, in Swedish.
    await page.goto(`${server.url}/?record=ohjaamo-oulu&lang=sv`);
    await page.waitForSelector('#detail-title');
    assert.equal((await page.textContent('#detail-title')).trim(), 'Navigatorn Uleåborg');
    assert.match(await page.textContent('#detail .back-link'), /Tillbaka/);
    // Finnish description shown in the Swedish interface is marked as Finnish.
    assert.equal(await page.getAttribute('#detail .detail-text', 'lang'), 'fi');
    await page.click('#detail .back-link');
    await settled(page);
    assert.doesNotMatch(page.url(), /record=/);
    assert.match(page.url(), /lang=sv/);

    await page.goto(`${server.url}/?record=no-such-record`);
    await page.waitForFunction(() => /löytynyt/.test(document.getElementById('detail').textContent));
    await assertAccessible(page, 'missing record');
    const problems = page.problems().filter((p) => !/404/.test(p));  // the 404 of the missing record
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('switches language: interface, facet labels and URL', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/?q=ohjaus&type=service`);
    await settled(page);
    assert.equal(await page.textContent('#results-heading'), 'Hakutulokset');
    assert.match(await page.textContent('#facet-type'), /Palvelu/);

    await page.click('.lang-switch a[data-lang="sv"]');
    await settled(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    assert.equal(await page.textContent('#results-heading'), 'Sökresultat');
    assert.equal(await page.textContent('label[for="q"]'), 'Sök tjänster, projekt och nätverk');
    assert.match(await page.textContent('#facet-type'), /Tjänst/);
    assert.match(await page.textContent('#chips'), /Typ: Tjänst/);
    assert.match(await page.textContent('#status'), /resultat/);
    assert.match(page.url(), /lang=sv/);
    assert.match(page.url(), /q=ohjaus/);
    assert.equal(await page.getAttribute('.lang-switch a[data-lang="sv"]', 'aria-current'), 'true');
    await assertAccessible(page, 'Swedish results');
    await screenshot(page, 'search-sv');

    await page.click('.lang-switch a[data-lang="en"]');
    await settled(page);
    assert.equal(await page.textContent('#results-heading'), 'Results');
    assert.match(await page.textContent('#facet-type'), /Service/);
    // Names without an English version are shown in Finnish and marked so (WCAG 3.1.2).
    assert.equal(await page.getAttribute('a.card-link[data-record="turun-ammattiopisto-ohjaus"]', 'lang'), 'fi');
    assert.equal(await page.getAttribute('a.card-link[data-record="ohjaamo-oulu"]', 'lang'), null);

    await page.goBack();
    await settled(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    await page.goBack();
    await settled(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'fi');
    assert.equal(await page.textContent('#results-heading'), 'Hakutulokset');
    assertClean(page);
    await page.context().close();
  });

  it('completes a search by keyboard alone', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);

    // Tab from the top of the page to the search field.
    for (let i = 0; i < 10 && (await focusedId(page)) !== 'q'; i += 1) await page.keyboard.press('Tab');
    assert.equal(await focusedId(page), 'q');

    await page.keyboard.type('ohjaa', { delay: 30 });
    await page.waitForSelector('#q-list:not([hidden]) [role="option"]');
    assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'true');
    const options = await page.$$eval('#q-list [role="option"]', (nodes) => nodes.map((n) => n.querySelector('.option-text').textContent));
    assert.ok(options.length > 1 && options.length <= 10, `suggestions: ${options}`);
    await screenshot(page, 'suggestions', { fullPage: false });
    await assertAccessible(page, 'suggestions open');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), 'q-list-opt-1');
    assert.equal(await page.getAttribute('#q-list-opt-1', 'aria-selected'), 'true');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), 'q-list-opt-0');
    await page.keyboard.press('Escape');
    assert.equal(await page.getAttribute('#q', 'aria-expanded'), 'false');
    assert.ok(await page.isHidden('#q-list'));
    assert.equal(await page.inputValue('#q'), 'ohjaa');
    assert.equal(await page.getAttribute('#q', 'aria-activedescendant'), null);

    await page.keyboard.type('m', { delay: 30 });
    await page.waitForSelector('#q-list:not([hidden]) [role="option"]');
    await page.keyboard.press('ArrowDown');
    const chosen = await page.textContent('#q-list-opt-0 .option-text');
    await page.keyboard.press('Enter');
    await settled(page);
    assert.equal(await page.inputValue('#q'), chosen);
    assert.equal(new URL(page.url()).searchParams.get('q'), chosen);
    assert.ok(await announcedTotal(page) > 0);

    // Tick a facet with the space bar: the next Tab stops after the search button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const box = await focusedId(page);
    assert.match(box, /^f-region-/);
    await page.keyboard.press('Space');
    await settled(page);
    assert.equal(await focusedId(page), box, 'focus stays on the box after the update');
    assert.ok(await page.isChecked(`#${box}`));
    await page.keyboard.press('Space');
    await settled(page);
    assert.ok(!(await page.isChecked(`#${box}`)));

    // The skip link, then on to the first result, open it, and back.
    await page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement.classList.contains("skip-link"))); i += 1) {
      await page.keyboard.press('Shift+Tab');
    }
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('skip-link')));
    await screenshot(page, 'skip-link', { fullPage: false });
    await page.keyboard.press('Enter');
    assert.equal(await focusedId(page), 'results-heading');
    for (let i = 0; i < 12 && !(await page.evaluate(() => document.activeElement.classList.contains('card-link'))); i += 1) {
      await page.keyboard.press('Tab');
    }
    const opened = await page.evaluate(() => document.activeElement.dataset.record);
    assert.ok(opened, 'a result link has focus');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden]) #detail-title');
    assert.equal(await focusedId(page), 'detail-title');
    await page.keyboard.press('Shift+Tab');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('back-link')));
    await page.keyboard.press('Enter');
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.record), opened);
    assertClean(page);
    await page.context().close();
  });

  it('pages with "show more"', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);
    const all = await announcedTotal(page);
    assert.equal((await cardIds(page)).length, 10);
    assert.ok(await page.isVisible('#more'));
    await page.click('#more');
    await page.waitForFunction((n) => document.querySelectorAll('#hits > li').length === n, Math.min(all, 20));
    assert.match(page.url(), /pages=2/);
    const ids = await cardIds(page);
    assert.equal(new Set(ids).size, ids.length, 'no result twice');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.record), ids[10], 'focus on the first new result');
    if (all <= 20) assert.ok(await page.isHidden('#more'));
    await page.reload();
    await settled(page);
    assert.equal((await cardIds(page)).length, Math.min(all, 20), 'the URL keeps the pages');
    assertClean(page);
    await page.context().close();
  });

  it('shows results on a map with focusable points, and near me sorts by distance', async () => {
    const page = await newPage(browser, {
      geolocation: { latitude: 65.0121, longitude: 25.4651 },
      permissions: ['geolocation'],
    });
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.click('.view-switch [data-view="map"]');
    await settled(page);
    assert.match(page.url(), /view=map/);
    assert.equal(await page.getAttribute('.view-switch [data-view="map"]', 'aria-pressed'), 'true');
    assert.ok(await page.isVisible('#map-view svg.map'));
    assert.ok(await page.isHidden('#hits'));
    const points = await page.$$eval('#map-view a.map-point', (links) => links.map((a) => a.getAttribute('aria-label')));
    assert.ok(points.length >= 5, `points: ${points.length}`);
    assert.ok(points.some((label) => /^Ohjaamo Oulu – /.test(label)));
    await page.focus('#map-view a.map-point');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('map-point')), 'points take focus in turn');
    assert.ok((await page.textContent('.map-caption')).length > 0, 'the focused point is named visibly');
    await assertAccessible(page, 'map view');
    await screenshot(page, 'map');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden]) #detail-title');
    await page.goBack();
    await settled(page);
    assert.ok(await page.isVisible('#map-view svg.map'));

    await page.click('.view-switch [data-view="list"]');
    await settled(page);
    await page.click('#near-me');
    await page.waitForURL(/near=/);
    await settled(page);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('near'), '65.012,25.465');
    assert.equal(url.searchParams.get('sort'), 'distance');
    assert.equal(await page.inputValue('#sort'), 'distance');
    assert.ok(await page.isVisible('#radius'));
    assert.match(await page.textContent('#chips'), /Lähelläni \(50 km\)/);
    const first = await page.textContent('#hits > li:first-child');
    assert.match(first, /km päässä/);
    assert.equal(await page.$eval('#hits > li:first-child', (li) => li.dataset.id), 'ohjaamo-oulu');
    await screenshot(page, 'near-me');
    await page.click('.view-switch [data-view="map"]');
    await settled(page);
    assert.equal(await page.$$eval('#map-view .map-here', (n) => n.length), 1, 'your location on the map');
    await page.click('#chip-near');
    await settled(page);
    assert.equal(new URL(page.url()).searchParams.get('near'), null);
    assertClean(page);
    await page.context().close();
  });

  it('works on a phone and at 200 % zoom without horizontal scrolling', async () => {
    const page = await newPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/?q=ohjaus`);
    await settled(page);
    assert.ok(await page.isVisible('#filters-toggle'));
    assert.ok(await page.isHidden('#filters-panel'));
    assert.equal(await page.getAttribute('#filters-toggle', 'aria-expanded'), 'false');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(await overflow() <= 0, 'no horizontal scrolling at 360 px');
    await screenshot(page, 'phone');
    await page.click('#filters-toggle');
    assert.equal(await page.getAttribute('#filters-toggle', 'aria-expanded'), 'true');
    assert.ok(await page.isVisible('#filters-panel'));
    await page.click('label[for="f-type-service"]');
    await settled(page);
    assert.match(await page.textContent('#filters-toggle'), /\(1\)/);
    await assertAccessible(page, 'phone');
    await screenshot(page, 'phone-filters');
    await page.context().close();

    // 200 % zoom of a 1280 px window is a 640 px wide layout at device scale 2; WCAG's
    // reflow check is 320 CSS px.
    for (const width of [640, 320]) {
      const zoomed = await newPage(browser, { viewport: { width, height: 450 }, deviceScaleFactor: 2 });
      await zoomed.goto(`${server.url}/?q=ohjaus&record=ohjaamo-oulu`);
      await zoomed.waitForSelector('#detail-title');
      assert.ok(await zoomed.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
        `no horizontal scrolling at ${width} px (detail)`);
      await zoomed.goBack().catch(() => {});
      await zoomed.goto(`${server.url}/?q=ohjaus`);
      await settled(zoomed);
      assert.ok(await zoomed.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
        `no horizontal scrolling at ${width} px (results)`);
      if (width === 640) await screenshot(zoomed, 'zoom-200', { fullPage: false });
      await zoomed.context().close();
    }
  });

  it('has an accessibility statement in Finnish with Swedish and English sections', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.click('footer a[href^="saavutettavuus.html"]');
    await page.waitForSelector('#fi-title');
    assert.equal(await page.textContent('h1'), 'Saavutettavuusseloste');
    assert.equal(await page.getAttribute('#sv', 'lang'), 'sv');
    assert.equal(await page.getAttribute('#en', 'lang'), 'en');
    const text = await page.textContent('main');
    for (const phrase of ['WCAG 2.1', 'Tunnetut puutteet', 'Traficom', 'Etelä-Suomen aluehallintovirasto', '306/2019',
      'Palaute']) {
      assert.ok(text.includes(phrase), `statement mentions ${phrase}`);
    }
    await assertAccessible(page, 'accessibility statement');
    await screenshot(page, 'statement');
    assertClean(page);
    await page.context().close();
  });

  it('serves the page with a Content-Security-Policy it keeps', async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get('content-security-policy') || '';
    assert.match(csp, /script-src 'self'/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline scripts');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');

    // Under the strictest policy the page would get (no 'unsafe-inline' styles): the page
    // is served as is, with the policy added as a <meta> (both policies apply).
    const page = await newPage(browser);
    await page.route(`${server.url}/`, async (route) => {
      const original = await route.fetch();
      const body = (await original.text()).replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" '
        + 'content="default-src \'self\'; img-src \'self\' data:; style-src \'self\'; script-src \'self\'; connect-src \'self\'">');
      await route.fulfill({ response: original, body });
    });
    await page.goto(`${server.url}/`);
    await settled(page);
    await page.fill('#q', 'ohjaamo');
    await page.press('#q', 'Enter');
    await settled(page);
    await page.click('.view-switch [data-view="map"]');
    await settled(page);
    await page.click('#map-view a.map-point');
    await page.waitForSelector('#detail-title');
    assertClean(page);
    await page.context().close();
  });
});
