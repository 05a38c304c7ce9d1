// The facet panels (checkbox lists with live counts, the area tree) and the chips of the
// active filters. Pure rendering: changes are reported through callbacks.

import { el, unescapeHtml } from './api.js';
import { formatNumber, t } from './i18n.js';
import { PAGE_FILTERS } from './state.js';

const SHOWN = 8;  // values shown before "show all"

// Facet name in the API response → filter parameter(s).
const PARAM_OF = { target_group: 'target_group', theme: 'theme', type: 'type', channel: 'channel',
  service_language: 'service_language' };

function safeId(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

function checkbox(doc, { param, code, label, count, checked, onToggle }) {
  const li = el(doc, 'li', 'facet-value');
  const input = el(doc, 'input');
  input.type = 'checkbox';
  input.id = `f-${param}-${safeId(code)}`;
  input.value = code;
  input.checked = checked;
  input.dataset.param = param;
  input.addEventListener('change', () => onToggle(param, code, input.checked));
  const labelNode = el(doc, 'label', null, label);
  labelNode.htmlFor = input.id;
  if (typeof count === 'number') labelNode.append(' ', el(doc, 'span', 'count', `(${formatNumber(doc.documentElement.lang, count)})`));
  li.append(input, labelNode);
  return li;
}

// Values worth showing: with a count, or selected.
function visible(values, selected) {
  return (values || []).filter((v) => v.count > 0 || v.selected || selected.includes(v.code));
}

// Renders the facet panels into `container`.
//   ui: { lang, state, facets (API response facets), expanded: Set of facet names shown whole,
//         openRegions: Set of region codes with their municipalities shown,
//         onToggle(param, code, on), onStatus(on), onExpand(name), onRegion(code) }
export function renderFacets(container, ui) {
  const { lang, state, facets } = ui;
  const doc = container.ownerDocument;
  const nodes = [];

  // Area: regions, each with its municipalities behind a disclosure button.
  const regions = visible(facets.area, state.filters.region).filter((r) => r.count > 0 || r.selected
    || state.filters.region.includes(r.code)
    || (r.children || []).some((m) => state.filters.municipality.includes(m.code)));
  nodes.push(fieldset(doc, 'area', t(lang, 'facet_area'), regions, ui, (region) => {
    const li = checkbox(doc, { param: 'region', code: region.code, label: unescapeHtml(region.label), count: region.count,
      checked: state.filters.region.includes(region.code), onToggle: ui.onToggle });
    const municipalities = visible(region.children, state.filters.municipality);
    if (municipalities.length) {
      const listId = `munis-${safeId(region.code)}`;
      const open = ui.openRegions.has(region.code)
        || municipalities.some((m) => state.filters.municipality.includes(m.code));
      const button = el(doc, 'button', 'disclosure');
      button.type = 'button';
      button.id = `toggle-${listId}`;
      button.setAttribute('aria-expanded', String(open));
      button.setAttribute('aria-controls', listId);
      button.append(el(doc, 'span', 'visually-hidden', t(lang, 'showMunicipalities', { name: unescapeHtml(region.label) })));
      button.addEventListener('click', () => ui.onRegion(region.code));
      const sub = el(doc, 'ul', 'facet-children');
      sub.id = listId;
      sub.hidden = !open;
      if (open) {
        for (const m of municipalities) {
          sub.append(checkbox(doc, { param: 'municipality', code: m.code, label: unescapeHtml(m.label), count: m.count,
            checked: state.filters.municipality.includes(m.code), onToggle: ui.onToggle }));
        }
      }
      li.querySelector('label').after(button);
      li.append(sub);
    }
    return li;
  }, (region) => state.filters.region.includes(region.code)
    || (region.children || []).some((m) => state.filters.municipality.includes(m.code))));

  for (const name of ['target_group', 'theme', 'type', 'channel', 'service_language']) {
    const param = PARAM_OF[name];
    const values = visible(facets[name], state.filters[param]);
    nodes.push(fieldset(doc, name, t(lang, `facet_${name}`), values, ui, (value) => checkbox(doc, {
      param, code: value.code, label: unescapeHtml(value.label), count: value.count,
      checked: state.filters[param].includes(value.code), onToggle: ui.onToggle,
    }), (value) => state.filters[param].includes(value.code)));
  }

  // Running now: status=active.
  const status = el(doc, 'fieldset', 'facet');
  status.append(el(doc, 'legend', null, t(lang, 'facet_status')));
  const list = el(doc, 'ul', 'facet-values');
  list.append(checkbox(doc, { param: 'status', code: 'active', label: t(lang, 'runningNow'), checked: state.status === 'active',
    onToggle: (_, __, on) => ui.onStatus(on) }));
  status.append(list);
  nodes.push(status);

  container.replaceChildren(...nodes);
}

function fieldset(doc, name, legend, values, ui, renderValue, isSelected = (v) => v.selected) {
  const node = el(doc, 'fieldset', 'facet');
  node.id = `facet-${name}`;
  node.append(el(doc, 'legend', null, legend));
  if (!values.length) {
    node.append(el(doc, 'p', 'facet-empty', t(ui.lang, 'noValues')));
    return node;
  }
  const whole = ui.expanded.has(name);
  const list = el(doc, 'ul', 'facet-values');
  list.id = `values-${name}`;
  // Selected values stay visible when the list is cut short.
  const shown = whole ? values : values.filter((v, i) => i < SHOWN || isSelected(v));
  for (const value of shown) list.append(renderValue(value));
  node.append(list);
  if (values.length > SHOWN) {
    const more = el(doc, 'button', 'link-button', whole ? t(ui.lang, 'showFewer') : t(ui.lang, 'showAll', { n: values.length }));
    more.type = 'button';
    more.id = `more-${name}`;
    more.setAttribute('aria-expanded', String(whole));
    more.setAttribute('aria-controls', list.id);
    more.addEventListener('click', () => ui.onExpand(name));
    node.append(more);
  }
  return node;
}

// code → label for the chips, from the search response's facets (area children included).
export function facetLabels(facets) {
  const labels = {};
  const walk = (param, values) => {
    for (const v of values || []) {
      labels[`${param}:${v.code}`] = unescapeHtml(v.label);
      if (param === 'region') walk('municipality', v.children);
    }
  };
  walk('region', facets && facets.area);
  for (const name of Object.keys(PARAM_OF)) walk(PARAM_OF[name], facets && facets[name]);
  return labels;
}

// The active filters as removable chips.
//   ui: { lang, state, labels (facetLabels + vocabulary fallback), onRemove(param, code), onClear() }
export function renderChips(container, ui) {
  const { lang, state, labels } = ui;
  const doc = container.ownerDocument;
  const chips = [];
  const facetOf = { region: 'area', municipality: 'area' };
  for (const param of PAGE_FILTERS) {
    for (const code of state.filters[param]) {
      const name = labels[`${param}:${code}`] || code;
      chips.push({ id: `chip-${param}-${safeId(code)}`, param, code, text: `${t(lang, `facet_${facetOf[param] || param}`)}: ${name}` });
    }
  }
  if (state.status) chips.push({ id: 'chip-status', param: 'status', code: 'active', text: t(lang, 'runningNow') });
  if (state.near) chips.push({ id: 'chip-near', param: 'near', code: state.near, text: t(lang, 'nearChip', { km: state.radius }) });
  if (!chips.length) {
    container.replaceChildren();
    return;
  }
  const heading = el(doc, 'h3', 'visually-hidden', t(lang, 'activeFilters'));
  heading.id = 'chips-heading';
  const list = el(doc, 'ul', 'chips');
  list.setAttribute('aria-labelledby', heading.id);
  for (const chip of chips) {
    const li = el(doc, 'li');
    const button = el(doc, 'button', 'chip');
    button.type = 'button';
    button.id = chip.id;
    button.append(el(doc, 'span', 'visually-hidden', `${t(lang, 'removeFilter', { label: '' }).trim()} `),
      doc.createTextNode(chip.text), el(doc, 'span', 'chip-x', '×'));
    button.lastChild.setAttribute('aria-hidden', 'true');
    button.addEventListener('click', () => ui.onRemove(chip.param, chip.code));
    li.append(button);
    list.append(li);
  }
  if (chips.length > 1) {
    const li = el(doc, 'li');
    const clear = el(doc, 'button', 'link-button chip-clear', t(lang, 'clearAll'));
    clear.type = 'button';
    clear.id = 'chip-clear';
    clear.addEventListener('click', ui.onClear);
    li.append(clear);
    list.append(li);
  }
  container.replaceChildren(heading, list);
}
