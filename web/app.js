// The search page: wires the URL state (state.js) to the API (api.js) and the views
// (facets.js, cards.js, map.js, detail.js). Every change of state goes through navigate(),
// which writes the URL (history.pushState) and renders; popstate renders the URL back.

import { createApi, el, FACETS, unescapeHtml } from './api.js';
import { renderCard } from './cards.js';
import { attachCombobox } from './combobox.js';
import { renderDetail, vocabularyLabels } from './detail.js';
import { facetLabels, renderChips, renderFacets } from './facets.js';
import { countText, formatNumber, LANG_NAMES, LANGS, t } from './i18n.js';
import { renderMap } from './map.js';
import { cloneState, emptyState, PAGE_SIZE, parseState, RADII, searchKey, searchParams, SORTS,
  stateToQuery } from './state.js';

const api = createApi('');
const $ = (id) => document.getElementById(id);
const dom = {
  form: $('search-form'), q: $('q'), list: $('q-list'), searchView: $('search-view'), detail: $('detail'),
  facets: $('facets'), chips: $('chips'), status: $('status'), hits: $('hits'), map: $('map-view'),
  more: $('more'), sort: $('sort'), radius: $('radius'), radiusItem: $('radius-item'), nearMe: $('near-me'),
  error: $('error'), didYouMean: $('did-you-mean'), filtersToggle: $('filters-toggle'),
  filtersPanel: $('filters-panel'), filtersCount: $('filters-count'), skip: document.querySelector('.skip-link'),
};

let state = parseState(location.search);
let last = { key: null, data: null };  // the last search answered
let searchController = null;
let recordController = null;
const vocabularies = new Map();  // lang → Promise of vocabularyLabels
const records = new Map();  // id → record
const ui = { expanded: new Set(), openRegions: new Set(), lastOpened: null };

history.scrollRestoration = 'manual';

function href(next) {
  return `${location.pathname}${stateToQuery(next)}`;
}

function recordHref(id) {
  return href({ ...cloneState(state), record: id });
}

// Changes the state: a new history entry (or a replaced one) and a render.
function navigate(next, { replace = false, focus = null } = {}) {
  const url = href(next);
  const entry = { app: true, fromSearch: Boolean(next.record && !state.record) };
  if (replace) history.replaceState(entry, '', url);
  else history.pushState(entry, '', url);
  state = next;
  render({ focus });
}

window.addEventListener('popstate', () => {
  const next = parseState(location.search);
  if (stateToQuery(next) === stateToQuery(state)) return;  // only the #fragment changed (skip link)
  state = next;
  render({ focus: state.record ? 'detail' : 'back' });
});

// Announces `text` in the polite live region (cleared first so that a repeat is read too).
let announceTimer = null;
function announce(text) {
  clearTimeout(announceTimer);
  dom.status.textContent = '';
  announceTimer = setTimeout(() => { dom.status.textContent = text; }, 100);
}

function vocabulary(lang) {
  if (!vocabularies.has(lang)) {
    vocabularies.set(lang, api.facets(lang).then(vocabularyLabels).catch(() => {
      vocabularies.delete(lang);
      return {};
    }));
  }
  return vocabularies.get(lang);
}

// ---- Language and static texts --------------------------------------------------------

function applyLanguage() {
  const { lang } = state;
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(lang, node.dataset.i18n);
  for (const link of document.querySelectorAll('.lang-switch a[data-lang]')) {
    const code = link.dataset.lang;
    link.href = href({ ...cloneState(state), lang: code });
    link.textContent = LANG_NAMES[code];
    if (code === lang) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  $('home-link').href = href(emptyState(lang));
  const footerLink = document.querySelector('a[href^="saavutettavuus.html"]');
  if (footerLink) footerLink.href = `saavutettavuus.html${lang === 'fi' ? '' : `#${lang}`}`;

  dom.sort.replaceChildren(...SORTS.filter((s) => s !== 'distance' || state.near).map((s) => {
    const option = el(document, 'option', null, t(lang, `sort_${s}`));
    option.value = s;
    option.selected = s === state.sort;
    return option;
  }));
  dom.radius.replaceChildren(...RADII.map((km) => {
    const option = el(document, 'option', null, `${km} km`);
    option.value = String(km);
    option.selected = km === state.radius;
    return option;
  }));
  dom.radiusItem.hidden = !state.near;
  for (const button of document.querySelectorAll('.view-switch [data-view]')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
  }
}

// ---- Rendering ------------------------------------------------------------------------

function render({ focus = null } = {}) {
  applyLanguage();
  combobox.setValue(state.q);
  if (state.record) {
    dom.searchView.hidden = true;
    dom.detail.hidden = false;
    dom.skip.href = '#detail-title';
    showDetail(focus);
  } else {
    dom.detail.hidden = true;
    dom.detail.replaceChildren();
    dom.searchView.hidden = false;
    dom.skip.href = '#results-heading';
    showSearch(focus);
  }
}

async function showSearch(focus) {
  const key = searchKey(state, FACETS);
  if (last.key === key && last.data) {
    renderResults(last.data, focus);
    return;
  }
  if (searchController) searchController.abort();
  searchController = new AbortController();
  const mine = searchController;
  dom.hits.setAttribute('aria-busy', 'true');
  document.body.classList.add('loading');
  try {
    const data = await api.search(searchParams(state, FACETS), mine.signal);
    if (mine !== searchController) return;
    last = { key, data };
    renderResults(data, focus);
  } catch (error) {
    if (error.name === 'AbortError' || mine !== searchController) return;
    renderError(error);
  } finally {
    if (mine === searchController) {
      dom.hits.removeAttribute('aria-busy');
      document.body.classList.remove('loading');
    }
  }
}

function renderError(error) {
  const message = t(state.lang, 'error', { message: error.message });
  dom.error.textContent = message;
  dom.error.hidden = false;
  dom.hits.replaceChildren();
  dom.more.hidden = true;
  announce(message);
}

function resultSummary(data) {
  let text = countText(state.lang, data.total);
  if (state.q) text += ` ${t(state.lang, 'forQuery', { q: state.q })}`;
  const shown = data.hits.length;
  if (state.view === 'list' && shown && shown < data.total) {
    text += ` ${t(state.lang, 'showing', { shown: formatNumber(state.lang, shown), total: formatNumber(state.lang, data.total) })}`;
  }
  return text;
}

function renderResults(data, focus) {
  const { lang } = state;
  const active = document.activeElement;
  const activeId = active && active.id;
  dom.error.hidden = true;

  renderFacets(dom.facets, {
    lang, state, facets: data.facets || {}, expanded: ui.expanded, openRegions: ui.openRegions,
    onToggle: toggleFilter, onStatus: (on) => update((s) => { s.status = on ? 'active' : ''; }),
    onExpand: (name) => {
      if (ui.expanded.has(name)) ui.expanded.delete(name);
      else ui.expanded.add(name);
      renderResults(last.data);
    },
    onRegion: (code) => {
      if (ui.openRegions.has(code)) ui.openRegions.delete(code);
      else ui.openRegions.add(code);
      renderResults(last.data);
    },
  });
  const labels = facetLabels(data.facets);
  renderChips(dom.chips, {
    lang, state, labels,
    onRemove: removeFilter,
    onClear: () => update((s) => { Object.assign(s, emptyState(s.lang), { q: s.q, sort: s.sort === 'distance' ? 'relevance' : s.sort, view: s.view }); }, 'results'),
  });
  const filterCount = dom.chips.querySelectorAll('.chip').length;
  dom.filtersCount.textContent = filterCount ? `(${filterCount})` : '';

  if (data.did_you_mean) {
    const suggestion = unescapeHtml(data.did_you_mean);
    const link = el(document, 'a', null, suggestion);
    link.href = href({ ...cloneState(state), q: suggestion, pages: 1 });
    link.dataset.query = suggestion;
    dom.didYouMean.replaceChildren(`${t(lang, 'didYouMean')}: `, link, '?');
    dom.didYouMean.hidden = false;
  } else {
    dom.didYouMean.hidden = true;
  }

  if (state.view === 'map') {
    dom.hits.hidden = true;
    dom.hits.replaceChildren();
    dom.more.hidden = true;
    dom.map.hidden = false;
    renderMap(dom.map, data.hits, { lang, recordHref, near: state.near, tileUrl: dom.map.dataset.tileUrl || '' });
  } else {
    dom.map.hidden = true;
    dom.map.replaceChildren();
    dom.hits.hidden = false;
    dom.hits.replaceChildren(...data.hits.map((hit) => renderCard(document, hit, { lang, recordHref })));
    dom.more.hidden = data.hits.length >= data.total || data.hits.length >= 10000;
  }

  document.title = `${state.q ? `${state.q} – ` : ''}${countText(lang, data.total).replace(/\.$/, '')} – ${t(lang, 'title')}`;
  announce(resultSummary(data));
  restoreFocus(activeId, focus);
}

// After a re-render: the same control again, else what the navigation asked for.
function restoreFocus(activeId, focus) {
  if (focus === 'back' && ui.lastOpened) {
    const link = dom.hits.querySelector(`a[data-record="${CSS.escape(ui.lastOpened)}"]`)
      || dom.map.querySelector(`a[data-record="${CSS.escape(ui.lastOpened)}"]`);
    ui.lastOpened = null;
    if (link) {
      link.focus();
      link.scrollIntoView({ block: 'center' });
      return;
    }
  }
  if (focus === 'results') {
    $('results-heading').focus();
    return;
  }
  if (activeId && !document.getElementById(activeId)) {
    // A removed chip: the next chip, else the results heading.
    const chip = dom.chips.querySelector('.chip');
    (activeId.startsWith('chip-') && chip ? chip : $('results-heading')).focus();
  } else if (activeId && document.activeElement !== document.getElementById(activeId)) {
    document.getElementById(activeId).focus();
  }
}

async function showDetail(focus) {
  const { lang } = state;
  const id = state.record;
  if (recordController) recordController.abort();
  recordController = new AbortController();
  const mine = recordController;
  if (!records.has(id)) dom.detail.replaceChildren(el(document, 'p', 'loading-text', t(lang, 'recordLoading')));
  try {
    const [record, vocab] = await Promise.all([
      records.has(id) ? records.get(id) : api.record(id, lang, mine.signal),
      vocabulary(lang),
    ]);
    if (mine !== recordController) return;
    records.set(id, record);
    const heading = renderDetail(dom.detail, record, { lang, vocab, backHref: href({ ...cloneState(state), record: '' }) });
    document.title = `${heading.textContent} – ${t(lang, 'title')}`;
    if (focus) heading.focus();
  } catch (error) {
    if (error.name === 'AbortError' || mine !== recordController) return;
    const back = el(document, 'a', 'back-link', t(lang, 'back'));
    back.href = href({ ...cloneState(state), record: '' });
    back.id = 'back-link';
    back.dataset.back = 'true';
    const heading = el(document, 'h2', 'detail-title', error.status === 404 ? t(lang, 'recordNotFound') : t(lang, 'error', { message: error.message }));
    heading.id = 'detail-title';
    heading.tabIndex = -1;
    const nav = el(document, 'p', 'detail-nav');
    nav.append(back);
    dom.detail.replaceChildren(nav, heading);
    document.title = `${heading.textContent} – ${t(lang, 'title')}`;
    if (focus) heading.focus();
  }
}

// ---- State changes --------------------------------------------------------------------

// A new state from the current one: `change(s)` edits a copy; paging and the record reset.
function update(change, focus = null) {
  const next = cloneState(state);
  next.pages = 1;
  next.record = '';
  change(next);
  navigate(next, { focus });
}

function toggleFilter(param, code, on) {
  update((s) => {
    const values = s.filters[param].filter((v) => v !== code);
    if (on) values.push(code);
    s.filters[param] = values;
  });
}

function removeFilter(param, code) {
  update((s) => {
    if (param === 'status') s.status = '';
    else if (param === 'near') {
      s.near = '';
      if (s.sort === 'distance') s.sort = 'relevance';
    } else s.filters[param] = s.filters[param].filter((v) => v !== code);
  });
}

async function showMore() {
  const data = last.data;
  if (!data) return;
  const offset = data.hits.length;
  const params = { ...searchParams(state, FACETS), offset, limit: PAGE_SIZE, facets: 'none' };
  dom.more.disabled = true;
  try {
    const page = await api.search(params);
    data.hits = data.hits.concat(page.hits);
    const next = { ...cloneState(state), pages: Math.ceil(data.hits.length / PAGE_SIZE) };
    history.replaceState({ app: true }, '', href(next));
    state = next;
    last = { key: searchKey(state, FACETS), data };
    const cards = page.hits.map((hit) => renderCard(document, hit, { lang: state.lang, recordHref }));
    dom.hits.append(...cards);
    dom.more.hidden = data.hits.length >= data.total;
    if (cards.length) cards[0].querySelector('a.card-link').focus();
    announce(resultSummary(data));
  } catch (error) {
    renderError(error);
  } finally {
    dom.more.disabled = false;
  }
}

function nearMe() {
  if (!navigator.geolocation) {
    announce(t(state.lang, 'geoError'));
    return;
  }
  announce(t(state.lang, 'locating'));
  dom.nearMe.disabled = true;
  navigator.geolocation.getCurrentPosition((position) => {
    dom.nearMe.disabled = false;
    const { latitude, longitude } = position.coords;
    update((s) => {
      s.near = `${latitude.toFixed(3)},${longitude.toFixed(3)}`;
      s.sort = 'distance';
    });
    dom.nearMe.focus();
  }, () => {
    dom.nearMe.disabled = false;
    dom.nearMe.focus();
    announce(t(state.lang, 'geoError'));
  }, { timeout: 15000, maximumAge: 300000 });
}

// ---- Events ---------------------------------------------------------------------------

const combobox = attachCombobox(dom.q, dom.list, {
  fetch: async (text, signal) => (await api.suggest(text, state.lang, signal)).suggestions,
  onChoose: (text) => update((s) => { s.q = text; }),
  announce: (n) => { $('q-status').textContent = t(state.lang, 'suggestionsCount', { n }); },
  describe: (suggestion) => (suggestion.kind === 'name' ? t(state.lang, 'suggestionRecord') : ''),
});

dom.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = dom.q.value.trim();
  update((s) => { s.q = q; });
});

// Links inside the page (records, back, languages, did-you-mean, home) navigate in place.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a');
  if (!link) return;
  if (link.dataset.record) {
    event.preventDefault();
    ui.lastOpened = link.dataset.record;
    navigate({ ...cloneState(state), record: link.dataset.record }, { focus: 'detail' });
  } else if (link.dataset.back) {
    event.preventDefault();
    if (history.state && history.state.fromSearch) history.back();
    else navigate({ ...cloneState(state), record: '' }, { focus: 'back' });
  } else if (link.dataset.lang) {
    event.preventDefault();
    navigate({ ...cloneState(state), lang: link.dataset.lang });
  } else if (link.dataset.query) {
    event.preventDefault();
    update((s) => { s.q = link.dataset.query; });
  } else if (link.id === 'home-link') {
    event.preventDefault();
    navigate(emptyState(state.lang));
    dom.q.focus();
  }
});

dom.sort.addEventListener('change', () => update((s) => { s.sort = dom.sort.value; }));
dom.radius.addEventListener('change', () => update((s) => { s.radius = Number(dom.radius.value); }));
dom.nearMe.addEventListener('click', nearMe);
dom.more.addEventListener('click', showMore);
for (const button of document.querySelectorAll('.view-switch [data-view]')) {
  button.addEventListener('click', () => {
    if (state.view !== button.dataset.view) update((s) => { s.view = button.dataset.view; });
  });
}
dom.filtersToggle.addEventListener('click', () => {
  const open = dom.filtersToggle.getAttribute('aria-expanded') !== 'true';
  dom.filtersToggle.setAttribute('aria-expanded', String(open));
  dom.filtersPanel.classList.toggle('open', open);
});

if (!LANGS.includes(new URLSearchParams(location.search).get('lang') || 'fi')) {
  history.replaceState({ app: true }, '', href(state));
}
render();
