// The tnohaku API client and the text helpers shared by the page (app.js) and the
// widget (widget-main.js). ES module, no dependencies.
//
// Every string the API sends is HTML-escaped (server/escape.h), so the page never puts
// API text into innerHTML: it decodes the five entities the server writes and sets the
// text with textContent. Highlights (<mark> around matched words) are rebuilt as DOM
// nodes the same way: only <mark> and </mark> are recognised, everything else is text.

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(unescapeHtml(error.message || `HTTP ${status}`));
    this.status = status;
    this.code = error.code || 'http_error';
    this.parameter = error.parameter || null;
  }
}

// The facets the page asks for and shows (service_class, funding, organisation and
// national are counted by the API but not shown).
export const FACETS = ['area', 'target_group', 'theme', 'type', 'channel', 'service_language'];

// A client for one API base URL ('' = same origin).
export function createApi(base = '') {
  const root = String(base).replace(/\/+$/, '');

  async function get(path, params, signal) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length) query.set(key, value.join(','));
      } else {
        query.set(key, String(value));
      }
    }
    const qs = query.toString();
    const response = await fetch(`${root}${path}${qs ? `?${qs}` : ''}`, {
      headers: { Accept: 'application/json' },
      signal,
    });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  return {
    search: (params, signal) => get('/v1/search', params, signal),
    record: (id, lang, signal) => get(`/v1/records/${encodeURIComponent(id)}`, { lang }, signal),
    facets: (lang, signal) => get('/v1/facets', { lang }, signal),
    suggest: (q, lang, signal) => get('/v1/suggest', { q, lang }, signal),
  };
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };

// Undoes the server's escaping (& < > " ') so that the text can go into textContent.
export function unescapeHtml(text) {
  if (text === undefined || text === null) return '';
  return String(text).replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name) => ENTITIES[name]);
}

// A DocumentFragment for an escaped string with <mark>…</mark>: text nodes and <mark>
// elements only.
export function highlightFragment(doc, html) {
  const fragment = doc.createDocumentFragment();
  let marked = false;
  for (const part of String(html || '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') {
      marked = true;
    } else if (part === '</mark>') {
      marked = false;
    } else if (part) {
      const text = doc.createTextNode(unescapeHtml(part));
      if (marked) {
        const mark = doc.createElement('mark');
        mark.appendChild(text);
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(text);
      }
    }
  }
  return fragment;
}

// An http(s) URL from an escaped API string, or null (javascript: and the like are dropped).
export function safeUrl(escaped) {
  const text = unescapeHtml(escaped).trim();
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// Creates an element with a class and text.
export function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// Calls fn at most once per `ms` of quiet.
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
