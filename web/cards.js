// Result cards, shared by the page and the widget. All text goes in with textContent
// (decoded from the API's escaping); highlights are rebuilt as <mark> nodes.

import { el, highlightFragment, safeUrl, unescapeHtml } from './api.js';
import { formatNumber, formatPeriod, t } from './i18n.js';

const NAME_FALLBACK = { fi: ['fi', 'sv', 'en'], sv: ['sv', 'fi', 'en'], en: ['en', 'fi', 'sv'] };

function labels(items) {
  return (items || []).map((item) => unescapeHtml(item.label || item.code)).join(', ');
}

function addMeta(doc, dl, term, value) {
  if (!value) return;
  const row = el(doc, 'div', 'meta-row');
  row.append(el(doc, 'dt', null, term), el(doc, 'dd', null, value));
  dl.append(row);
}

// One result as <li><article>…</article></li>.
//   options.lang           interface language
//   options.recordHref(id) the link of the record's detail view
//   options.headingLevel   2..6 (default 3)
//   options.prefix         class prefix ('' on the page, 'tnohaku-' not needed in the shadow DOM)
//   options.compact        fewer details (the widget)
export function renderCard(doc, hit, options) {
  const { lang, recordHref, headingLevel = 3, compact = false } = options;
  const item = el(doc, 'li', 'card');
  item.dataset.id = hit.id;
  const article = el(doc, 'article', 'card-body');
  const headingId = `${options.idPrefix || 'hit'}-${hit.id}`;
  article.setAttribute('aria-labelledby', headingId);

  const type = el(doc, 'p', `card-type card-type-${hit.type}`, t(lang, `type_${hit.type}`));
  const heading = el(doc, `h${headingLevel}`, 'card-title');
  const link = el(doc, 'a', 'card-link');
  link.id = headingId;
  link.href = recordHref(hit.id);
  link.dataset.record = hit.id;
  link.append(highlightFragment(doc, hit.highlights && hit.highlights.name ? hit.highlights.name : hit.name));
  // The name's language when it is not the interface's (the API falls back to fi, sv, en).
  const nameLang = (hit.names && !hit.names[lang]) ? NAME_FALLBACK[lang].find((code) => hit.names[code]) : null;
  if (nameLang) link.lang = nameLang;
  heading.append(link);
  article.append(heading, type);

  const organisations = (hit.organisations || []).filter((o) => o.role !== 'funder').map((o) => unescapeHtml(o.name));
  if (organisations.length) article.append(el(doc, 'p', 'card-org', organisations.join(', ')));

  const summaryHtml = (hit.highlights && hit.highlights.summary) || hit.summary;
  if (summaryHtml) {
    const summary = el(doc, 'p', 'card-summary');
    summary.append(highlightFragment(doc, summaryHtml));
    article.append(summary);
  }
  if (!compact && hit.highlights && hit.highlights.description && !hit.highlights.summary) {
    const excerpt = el(doc, 'p', 'card-excerpt');
    excerpt.append(highlightFragment(doc, hit.highlights.description));
    article.append(excerpt);
  }

  const meta = el(doc, 'dl', 'card-meta');
  const areas = hit.national ? t(lang, 'national') : labels(hit.areas);
  addMeta(doc, meta, t(lang, 'areas'), areas);
  addMeta(doc, meta, t(lang, 'period'), formatPeriod(lang, hit.period));
  if (!compact) addMeta(doc, meta, t(lang, 'channels'), labels(hit.channels));
  if (typeof hit.distance_km === 'number') {
    addMeta(doc, meta, t(lang, 'sort_distance'), t(lang, 'distance', { km: formatNumber(lang, hit.distance_km, 1) }));
  }
  if (meta.childNodes.length) article.append(meta);

  const url = safeUrl(hit.url);
  if (url && !compact) {
    const p = el(doc, 'p', 'card-url');
    const external = el(doc, 'a', 'external', t(lang, 'website'));
    external.href = url;
    external.rel = 'noopener';
    external.append(el(doc, 'span', 'visually-hidden', `: ${unescapeHtml(hit.name)} ${t(lang, 'opensExternal')}`));
    p.append(external);
    article.append(p);
  }
  item.append(article);
  return item;
}
