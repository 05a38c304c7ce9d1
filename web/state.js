// The page's whole state lives in the URL's query string, with the API's own parameter
// names, so that a link can be shared and the back button works:
//   ?q=ohjaamo&lang=sv&region=17&theme=career-guidance,job-search&status=active
//    &near=65.01,25.47&radius_km=25&sort=distance&view=map&record=ohjaamo-oulu&pages=2

import { normaliseLang } from './i18n.js';

// Filters the page offers, in the order of their chips.
export const PAGE_FILTERS = ['region', 'municipality', 'target_group', 'theme', 'type', 'channel',
  'service_language'];
export const SORTS = ['relevance', 'name', 'distance', 'start_date', 'end_date', 'updated'];
export const RADII = [10, 25, 50, 100, 200];
export const PAGE_SIZE = 10;
export const MAP_LIMIT = 100;

const NEAR = /^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/;

function list(params, name) {
  const values = [];
  for (const value of params.getAll(name)) {
    for (const item of value.split(',')) {
      const trimmed = item.trim();
      if (trimmed && !values.includes(trimmed)) values.push(trimmed);
    }
  }
  return values;
}

export function emptyState(lang = 'fi') {
  const filters = {};
  for (const name of PAGE_FILTERS) filters[name] = [];
  return { q: '', lang, filters, status: '', near: '', radius: 50, sort: 'relevance', view: 'list', record: '', pages: 1 };
}

export function parseState(search) {
  const params = new URLSearchParams(search);
  const state = emptyState(normaliseLang(params.get('lang')));
  state.q = (params.get('q') || '').slice(0, 500);
  for (const name of PAGE_FILTERS) state.filters[name] = list(params, name);
  state.status = params.get('status') === 'active' ? 'active' : '';
  const near = params.get('near') || '';
  state.near = NEAR.test(near) ? near : '';
  const radius = Number(params.get('radius_km'));
  state.radius = RADII.includes(radius) ? radius : 50;
  const sort = params.get('sort');
  state.sort = SORTS.includes(sort) ? sort : 'relevance';
  if (state.sort === 'distance' && !state.near) state.sort = 'relevance';
  state.view = params.get('view') === 'map' ? 'map' : 'list';
  state.record = params.get('record') || '';
  const pages = Number.parseInt(params.get('pages'), 10);
  state.pages = pages > 1 && pages <= MAP_LIMIT / PAGE_SIZE ? pages : 1;
  return state;
}

// The query string for a state ('' or '?…'); defaults are left out.
export function stateToQuery(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.lang && state.lang !== 'fi') params.set('lang', state.lang);
  for (const name of PAGE_FILTERS) {
    if (state.filters[name].length) params.set(name, state.filters[name].join(','));
  }
  if (state.status) params.set('status', state.status);
  if (state.near) {
    params.set('near', state.near);
    if (state.radius !== 50) params.set('radius_km', String(state.radius));
  }
  if (state.sort && state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.view === 'map') params.set('view', 'map');
  if (state.pages > 1) params.set('pages', String(state.pages));
  if (state.record) params.set('record', state.record);
  const text = params.toString().replace(/%2C/gi, ',');
  return text ? `?${text}` : '';
}

export function cloneState(state) {
  return { ...state, filters: Object.fromEntries(PAGE_FILTERS.map((n) => [n, [...state.filters[n]]])) };
}

// The /v1/search parameters for a state.
export function searchParams(state, facets) {
  const params = { q: state.q, lang: state.lang, facets: facets.join(',') };
  for (const name of PAGE_FILTERS) params[name] = state.filters[name];
  if (state.status) params.status = state.status;
  if (state.near) {
    params.near = state.near;
    params.radius_km = state.radius;
  }
  if (state.sort !== 'relevance') params.sort = state.sort;
  params.limit = state.view === 'map' ? MAP_LIMIT : Math.min(state.pages * PAGE_SIZE, MAP_LIMIT);
  return params;
}

// A key for the search a state asks (what the results depend on, not view details).
export function searchKey(state, facets) {
  return JSON.stringify(searchParams(state, facets));
}
