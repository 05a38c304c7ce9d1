// The detail view of one record (GET /v1/records/{id}): the record in its canonical form,
// codes turned into labels with the vocabularies of GET /v1/facets.

import { el, safeUrl, unescapeHtml } from './api.js';
import { formatDate, formatPeriod, t } from './i18n.js';

const FALLBACK = { fi: ['fi', 'sv', 'en'], sv: ['sv', 'fi', 'en'], en: ['en', 'fi', 'sv'] };

// The text of a {fi, sv, en} object in `lang` or the first language present, and that
// language (for the lang attribute: WCAG 3.1.2).
export function pickLang(texts, lang) {
  for (const code of FALLBACK[lang] || FALLBACK.fi) {
    if (texts && texts[code]) return { text: unescapeHtml(texts[code]), lang: code };
  }
  return { text: '', lang };
}

// code → label per facet, from a /v1/facets response (trees flattened).
export function vocabularyLabels(facetsResponse) {
  const maps = {};
  const walk = (map, values) => {
    for (const value of values || []) {
      map.set(value.code, unescapeHtml(value.label));
      walk(map, value.children);
    }
  };
  for (const [name, values] of Object.entries((facetsResponse && facetsResponse.facets) || {})) {
    maps[name] = new Map();
    walk(maps[name], values);
  }
  return maps;
}

function textWithLang(doc, tag, className, picked, uiLang) {
  const node = el(doc, tag, className, picked.text);
  if (picked.lang !== uiLang) node.lang = picked.lang;
  return node;
}

function paragraphs(doc, text, uiLang, pickedLang) {
  const wrapper = el(doc, 'div', 'detail-text');
  if (pickedLang !== uiLang) wrapper.lang = pickedLang;
  for (const block of text.split(/\n\s*\n/)) {
    if (block.trim()) wrapper.append(el(doc, 'p', null, block.trim()));
  }
  return wrapper;
}

// Renders `record` into `container`; returns the heading (to be focused).
//   options: { lang, vocab (vocabularyLabels result), backHref, onBack }
export function renderDetail(container, record, options) {
  const { lang, vocab = {}, backHref } = options;
  const doc = container.ownerDocument;
  const label = (facet, code) => (vocab[facet] && vocab[facet].get(code)) || code;
  const labels = (facet, codes) => (codes || []).map((c) => label(facet, unescapeHtml(c))).join(', ');

  const back = el(doc, 'a', 'back-link', t(lang, 'back'));
  back.href = backHref;
  back.id = 'back-link';
  back.dataset.back = 'true';
  const nav = el(doc, 'p', 'detail-nav');
  nav.append(back);

  const name = pickLang(record.name, lang);
  const heading = textWithLang(doc, 'h2', 'detail-title', name, lang);
  heading.id = 'detail-title';
  heading.tabIndex = -1;
  const type = el(doc, 'p', `card-type card-type-${record.type}`, t(lang, `type_${record.type}`));
  container.replaceChildren(nav, heading, type);

  const summary = pickLang(record.summary, lang);
  if (summary.text) container.append(textWithLang(doc, 'p', 'detail-lead', summary, lang));
  const description = pickLang(record.description, lang);
  if (description.text) {
    container.append(el(doc, 'h3', null, t(lang, 'description')), paragraphs(doc, description.text, lang, description.lang));
  }

  const facts = el(doc, 'dl', 'facts');
  const fact = (term, value) => {
    if (!value) return;
    const row = el(doc, 'div', 'meta-row');
    row.append(el(doc, 'dt', null, term), el(doc, 'dd', null, value));
    facts.append(row);
  };
  const organisations = (record.organisations || []).map((o) => unescapeHtml(o.name)).join(', ');
  fact(t(lang, 'organisation'), organisations);
  const area = record.area || {};
  const areaText = area.national
    ? t(lang, 'national')
    : [...(area.regions || []), ...(area.municipalities || [])].map((c) => label('area', c)).join(', ');
  fact(t(lang, 'areas'), areaText);
  fact(t(lang, 'period'), formatPeriod(lang, record.period));
  fact(t(lang, 'targetGroups'), labels('target_group', record.target_groups));
  fact(t(lang, 'themes'), labels('theme', record.themes));
  fact(t(lang, 'channels'), labels('channel', record.channels));
  fact(t(lang, 'serviceLanguages'), labels('service_language', record.service_languages));
  fact(t(lang, 'serviceClasses'), labels('service_class', record.service_classes));
  fact(t(lang, 'funding'), labels('funding', record.funding));
  if (record.charge && record.charge !== 'unknown') fact(t(lang, 'charge'), t(lang, `charge_${record.charge}`));
  fact(t(lang, 'keywords'), (record.keywords || []).map(unescapeHtml).join(', '));
  const hours = pickLang(record.service_hours, lang);
  fact(t(lang, 'serviceHours'), hours.text);
  if (facts.childNodes.length) container.append(facts);

  const contact = record.contact || {};
  const contactList = el(doc, 'ul', 'contact');
  const url = safeUrl(contact.url);
  if (url) {
    const li = el(doc, 'li');
    const a = el(doc, 'a', 'external', t(lang, 'website'));
    a.href = url;
    a.rel = 'noopener';
    a.append(el(doc, 'span', 'visually-hidden', ` ${t(lang, 'opensExternal')}`));
    li.append(a, doc.createTextNode(` (${new URL(url).host})`));
    contactList.append(li);
  }
  const email = unescapeHtml(contact.email);
  if (/^[^\s@<>]+@[^\s@<>]+$/.test(email)) {
    const li = el(doc, 'li', null, `${t(lang, 'email')}: `);
    const a = el(doc, 'a', null, email);
    a.href = `mailto:${email}`;
    li.append(a);
    contactList.append(li);
  }
  const phone = unescapeHtml(contact.phone);
  if (phone) {
    const li = el(doc, 'li', null, `${t(lang, 'phone')}: `);
    const a = el(doc, 'a', null, phone);
    a.href = `tel:${phone.replace(/[^+\d]/g, '')}`;
    li.append(a);
    contactList.append(li);
  }
  if (contactList.childNodes.length) container.append(el(doc, 'h3', null, t(lang, 'contact')), contactList);

  const locations = record.locations || [];
  if (locations.length) {
    const list = el(doc, 'ul', 'locations');
    for (const location of locations) {
      const parts = [location.name, location.address,
        [location.postal_code, location.municipality && label('area', location.municipality)].filter(Boolean).join(' ')]
        .filter(Boolean).map(unescapeHtml);
      list.append(el(doc, 'li', null, parts.join(', ')));
    }
    container.append(el(doc, 'h3', null, t(lang, 'locations')), list);
  }

  const footer = el(doc, 'dl', 'facts detail-source');
  const row = (term, value) => {
    if (!value) return;
    const div = el(doc, 'div', 'meta-row');
    div.append(el(doc, 'dt', null, term), el(doc, 'dd', null, value));
    footer.append(div);
  };
  if (record.source) row(t(lang, 'source'), unescapeHtml(record.source.name));
  if (record.updated) row(t(lang, 'updated'), formatDate(lang, record.updated));
  if (footer.childNodes.length) container.append(footer);
  return heading;
}
