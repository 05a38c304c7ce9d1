// The embeddable widget (loaded by widget.js): a compact search into a shadow root —
// field with suggestions, result count, a few results, and a link to the full search page
// with the same query. Configuration from the element's data attributes:
//   data-api        API base URL (default: where widget.js came from)
//   data-lang       fi | sv | en (default: the element's or the page's lang, else fi)
//   data-region, data-municipality, data-target-group, data-theme, data-type, data-channel,
//   data-service-language   initial filters (comma lists of codes)
//   data-status     "active" to show only what runs now
//   data-limit      results shown, 1..20 (default 5)
//   data-page       the full search page (default: the API base + "/")
//   data-heading-level  level of the widget's heading, 2..5 (default 2)
//   data-title      heading text (default: "Ohjauspalvelujen haku" in the language)

import { createApi, el } from './api.js';
import { renderCard } from './cards.js';
import { attachCombobox } from './combobox.js';
import { countText, normaliseLang, t } from './i18n.js';

const FILTERS = { region: 'region', municipality: 'municipality', targetGroup: 'target_group', theme: 'theme',
  type: 'type', channel: 'channel', serviceLanguage: 'service_language' };

const sheets = new Map();  // base → Promise<CSSStyleSheet | null>

function styleSheet(base) {
  if (!sheets.has(base)) {
    // A constructed style sheet from widget.css: scoped to the shadow root, and it works
    // under a portal's strict style-src as long as connect-src allows the API host.
    sheets.set(base, fetch(`${base}widget.css`).then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.status))))
      .then((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        return sheet;
      }).catch(() => null));
  }
  return sheets.get(base);
}

function config(host, base) {
  const data = host.dataset;
  const lang = normaliseLang(data.lang || (host.closest('[lang]') && host.closest('[lang]').lang.slice(0, 2)) || 'fi');
  const api = (data.api || base).replace(/\/+$/, '');
  const filters = {};
  for (const [key, param] of Object.entries(FILTERS)) {
    const value = (data[key] || '').split(',').map((s) => s.trim()).filter(Boolean);
    if (value.length) filters[param] = value;
  }
  const limit = Math.min(20, Math.max(1, Number.parseInt(data.limit, 10) || 5));
  const level = Math.min(5, Math.max(2, Number.parseInt(data.headingLevel, 10) || 2));
  const page = data.page || `${api}/`;
  return { lang, api, filters, status: data.status === 'active' ? 'active' : '', limit, level, page, title: data.title };
}

// The full page's URL for a query (and a record).
function pageUrl(cfg, q, record) {
  const url = new URL(cfg.page, document.baseURI);
  if (q) url.searchParams.set('q', q);
  if (cfg.lang !== 'fi') url.searchParams.set('lang', cfg.lang);
  for (const [param, values] of Object.entries(cfg.filters)) url.searchParams.set(param, values.join(','));
  if (cfg.status) url.searchParams.set('status', cfg.status);
  if (record) url.searchParams.set('record', record);
  return url.href.replace(/%2C/gi, ',');
}

export async function mount(host, base) {
  const cfg = config(host, base);
  const { lang } = cfg;
  const api = createApi(cfg.api);
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  const sheet = await styleSheet(base);
  if (sheet) root.adoptedStyleSheets = [sheet];
  else {
    const link = el(document, 'link');
    link.rel = 'stylesheet';
    link.href = `${base}widget.css`;
    root.append(link);
  }

  const box = el(document, 'section', 'tw');
  box.lang = lang;
  box.setAttribute('aria-labelledby', 'tw-title');
  const title = el(document, `h${cfg.level}`, 'tw-title', cfg.title || t(lang, 'widgetLabel'));
  title.id = 'tw-title';

  const form = el(document, 'form', 'tw-form');
  form.setAttribute('role', 'search');
  form.setAttribute('aria-labelledby', 'tw-title');
  const label = el(document, 'label', 'tw-label', t(lang, 'searchLabel'));
  label.htmlFor = 'tw-q';
  label.id = 'tw-q-label';
  const row = el(document, 'div', 'tw-row');
  const combo = el(document, 'div', 'combo');
  const input = el(document, 'input');
  Object.assign(input, { id: 'tw-q', type: 'search', name: 'q', autocomplete: 'off', maxLength: 500, spellcheck: false });
  for (const [name, value] of Object.entries({ role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': 'tw-q-list' })) input.setAttribute(name, value);
  const list = el(document, 'ul', 'listbox');
  list.id = 'tw-q-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-labelledby', 'tw-q-label');
  list.hidden = true;
  combo.append(input, list);
  const submit = el(document, 'button', 'tw-button', t(lang, 'searchButton'));
  submit.type = 'submit';
  row.append(combo, submit);
  const suggestStatus = el(document, 'p', 'visually-hidden');
  suggestStatus.setAttribute('role', 'status');
  suggestStatus.setAttribute('aria-live', 'polite');
  form.append(label, row, suggestStatus);

  const status = el(document, 'p', 'tw-status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const hits = el(document, 'ol', 'hits');
  const moreLine = el(document, 'p', 'tw-more');
  const more = el(document, 'a', null, t(lang, 'widgetMore'));
  more.href = pageUrl(cfg, '');
  moreLine.append(more);
  box.append(title, form, status, hits, moreLine);
  root.replaceChildren(...root.querySelectorAll('link'), box);

  let controller = null;
  async function search(q) {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    hits.setAttribute('aria-busy', 'true');
    try {
      const data = await api.search({ q, lang, ...cfg.filters, status: cfg.status, limit: cfg.limit, facets: 'none' }, mine.signal);
      if (mine !== controller) return;
      hits.replaceChildren(...data.hits.map((hit) => renderCard(document, hit, {
        lang, recordHref: (id) => pageUrl(cfg, q, id), headingLevel: cfg.level + 1, compact: true, idPrefix: 'tw-hit',
      })));
      status.textContent = countText(lang, data.total);
      more.href = pageUrl(cfg, q);
      host.setAttribute('data-tnohaku-state', 'ready');
    } catch (error) {
      if (error.name === 'AbortError') return;
      hits.replaceChildren();
      status.textContent = t(lang, 'error', { message: error.message });
      host.setAttribute('data-tnohaku-state', 'error');
    } finally {
      if (mine === controller) hits.removeAttribute('aria-busy');
    }
  }

  attachCombobox(input, list, {
    fetch: async (text, signal) => (await api.suggest(text, lang, signal)).suggestions,
    onChoose: (text) => search(text),
    announce: (n) => { suggestStatus.textContent = t(lang, 'suggestionsCount', { n }); },
    describe: (s) => (s.kind === 'name' ? t(lang, 'suggestionRecord') : ''),
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search(input.value.trim());
  });
  await search('');
  return root;
}
