// Shared set-up of the browser tests: index the fixture, start a real tnohaku-server on a
// free port of 127.0.0.1 serving a copy of web/ (plus the widget test page), launch the
// system Chromium through playwright-core (no browser downloads), run axe-core in a page,
// and save screenshots as artifacts.
//
// Environment:
//   TNOHAKU_BUILD_DIR          build folder with indexer/ and server/ (default <repo>/build)
//   TNOHAKU_FIXTURE            JSONL to index (default tests/fixtures/tiny.jsonl)
//   TNOHAKU_BROWSER_ARTIFACTS  screenshots (default <build>/browser-artifacts)
//   CHROMIUM_PATH              the browser (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const BUILD = path.resolve(process.env.TNOHAKU_BUILD_DIR || path.join(REPO, 'build'));
export const FIXTURE = path.resolve(process.env.TNOHAKU_FIXTURE || path.join(REPO, 'tests', 'fixtures', 'tiny.jsonl'));
export const ARTIFACTS = path.resolve(process.env.TNOHAKU_BROWSER_ARTIFACTS || path.join(BUILD, 'browser-artifacts'));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const INDEXER = path.join(BUILD, 'indexer', 'tnohaku-index');
const SERVER = path.join(BUILD, 'server', 'tnohaku-server');

function need(file, what) {
  if (!fs.existsSync(file)) {
    throw new Error(`${what} not found at ${file}: build tnohaku first, set TNOHAKU_BUILD_DIR or CHROMIUM_PATH `
      + '(scripts/install-deps.sh --test installs chromium)');
  }
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`))));
  });
}

// Indexes the fixture and starts the server; resolves to { url, webDir, stop() }.
export async function startServer() {
  need(INDEXER, 'tnohaku-index');
  need(SERVER, 'tnohaku-server');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tnohaku-browser-'));
  const db = path.join(tmp, 'db');
  const webDir = path.join(tmp, 'web');
  fs.cpSync(path.join(REPO, 'web'), webDir, { recursive: true });
  for (const file of ['widget-test.html', 'widget-test.css']) fs.copyFileSync(path.join(HERE, file), path.join(webDir, file));
  await run(INDEXER, ['--db', db, '--quiet', FIXTURE]);

  const child = spawn(SERVER, ['--db', db, '--host', '127.0.0.1', '--port', '0', '--web-dir', webDir],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tnohaku-server did not start:\n${log.join('')}`)), 15000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log.push(chunk);
      if (log.length > 200) log.splice(0, log.length - 200);  // keep reading: the access log goes here
      const match = /listening on (http:\/\/[^\s]+)/.exec(log.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tnohaku-server exited ${code}:\n${log.join('')}`));
    });
  });

  return {
    url,
    webDir,
    log: () => log.join(''),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  need(CHROMIUM, 'Chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records console errors, failed requests and page errors; `problems()` lists
// them (404 of favicon.ico aside) so that a test can assert that the page ran cleanly,
// Content-Security-Policy violations included.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'fi-FI', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const location = message.location();
    if (/favicon\.ico/.test(location.url || '')) return;
    problems.push(`console: ${message.text()} (${location.url || ''})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.problems = () => [...problems];
  page.clearProblems = () => { problems.length = 0; };
  return page;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core in the page (injected over the DevTools protocol, so the page's CSP stays on);
// resolves to the violations of WCAG 2.0/2.1 A and AA and axe's best practices.
export async function axe(page, context = null) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(`${AXE_SOURCE}\n;0`);
  return page.evaluate(async (include) => {
    const result = await window.axe.run(include || document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
    }));
  }, context);
}

export function formatViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

export async function screenshot(page, name, options = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...options });
  return file;
}
