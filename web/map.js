// The map view: results with coordinates drawn as focusable links over an SVG outline of
// Finland (web/finland.js). No tile server by default; when the map container has a
// data-tile-url template ("https://…/{z}/{x}/{y}.png"), Web Mercator tiles of zoom 5
// are drawn under the outline (the page's Content-Security-Policy must then allow the
// tile host in img-src).

import { el, unescapeHtml } from './api.js';
import { ALAND, BOUNDS, MAINLAND } from './finland.js';
import { formatNumber, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const RAD = Math.PI / 180;

// Equirectangular with the longitude scaled by cos(64.5°): Finland's proportions
// look right in the middle of the country.
export function equirectangular(scale = 50) {
  const k = Math.cos(64.5 * RAD);
  const project = (lat, lon) => [(lon - BOUNDS.west) * k * scale, (BOUNDS.north - lat) * scale];
  const [width, height] = project(BOUNDS.south, BOUNDS.east);
  return { project, width, height, tiles: () => [] };
}

// Web Mercator in pixels of zoom `zoom`, cropped to Finland.
export function mercator(zoom = 5) {
  const size = 256 * 2 ** zoom;
  const raw = (lat, lon) => {
    const s = Math.sin(lat * RAD);
    return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
  };
  const [x0, y0] = raw(BOUNDS.north, BOUNDS.west);
  const [x1, y1] = raw(BOUNDS.south, BOUNDS.east);
  const tiles = (template) => {
    const out = [];
    for (let tx = Math.floor(x0 / 256); tx <= Math.floor(x1 / 256); tx += 1) {
      for (let ty = Math.floor(y0 / 256); ty <= Math.floor(y1 / 256); ty += 1) {
        const href = template.replace('{z}', String(zoom)).replace('{x}', String(tx)).replace('{y}', String(ty));
        out.push({ href, x: tx * 256 - x0, y: ty * 256 - y0 });
      }
    }
    return out;
  };
  return { project: (lat, lon) => { const [x, y] = raw(lat, lon); return [x - x0, y - y0]; }, width: x1 - x0, height: y1 - y0, tiles };
}

function svgEl(doc, tag, attributes) {
  const node = doc.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  return node;
}

function outline(points, project) {
  return `${points.map(([lat, lon], i) => {
    const [x, y] = project(lat, lon);
    return `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
  }).join('')}Z`;
}

function hasPoint(location) {
  return location && typeof location.lat === 'number' && typeof location.lon === 'number';
}

// The points of the hits: one per location with coordinates.
export function mapPoints(hits) {
  const points = [];
  for (const hit of hits) {
    for (const location of hit.locations || []) {
      if (hasPoint(location)) points.push({ hit, location });
    }
  }
  return points;
}

// Draws the map into `container` (replacing what was there).
//   options: { lang, recordHref(id), near: 'lat,lon' | '', tileUrl }
export function renderMap(container, hits, options) {
  const { lang, recordHref, near, tileUrl } = options;
  const doc = container.ownerDocument;
  const projection = tileUrl ? mercator() : equirectangular();
  const { project, width, height } = projection;
  const points = mapPoints(hits);
  const located = new Set(points.map((p) => p.hit.id));
  const missing = hits.length - located.size;

  const heading = el(doc, 'h3', 'map-title', t(lang, 'mapTitle'));
  heading.id = 'map-title';
  const summary = el(doc, 'p', 'map-summary', located.size
    ? t(lang, 'mapSummary', { shown: formatNumber(lang, located.size), missing: formatNumber(lang, missing) })
    : t(lang, 'mapNone'));
  summary.id = 'map-summary';

  const svg = svgEl(doc, 'svg', {
    viewBox: `-10 -10 ${(width + 20).toFixed(0)} ${(height + 20).toFixed(0)}`,
    class: 'map',
    role: 'group',
    'aria-labelledby': 'map-title',
    'aria-describedby': 'map-summary',
  });
  const land = svgEl(doc, 'g', { 'aria-hidden': 'true' });
  for (const tile of projection.tiles(tileUrl || '')) {
    land.append(svgEl(doc, 'image', { href: tile.href, x: tile.x, y: tile.y, width: 256, height: 256 }));
  }
  land.append(svgEl(doc, 'path', { class: tileUrl ? 'map-land map-land-on-tiles' : 'map-land',
    d: outline(MAINLAND, project) + outline(ALAND, project) }));
  svg.append(land);

  if (near) {
    const [lat, lon] = near.split(',').map(Number);
    const [x, y] = project(lat, lon);
    const here = svgEl(doc, 'g', { class: 'map-here', role: 'img', 'aria-label': t(lang, 'mapHere') });
    here.append(svgEl(doc, 'rect', { x: x - 6, y: y - 6, width: 12, height: 12, transform: `rotate(45 ${x} ${y})` }));
    svg.append(here);
  }

  const caption = el(doc, 'p', 'map-caption');
  caption.setAttribute('aria-hidden', 'true');
  const seen = new Map();
  const group = svgEl(doc, 'g', { class: 'map-points' });
  for (const { hit, location } of points) {
    let [x, y] = project(location.lat, location.lon);
    const key = `${Math.round(x / 6)},${Math.round(y / 6)}`;
    const n = seen.get(key) || 0;
    seen.set(key, n + 1);
    if (n > 0) {  // spread points at the same place around it
      const angle = n * 2.4;
      x += Math.cos(angle) * (5 + n);
      y += Math.sin(angle) * (5 + n);
    }
    const place = [location.name, location.address, location.municipality && location.municipality.label]
      .filter(Boolean).map(unescapeHtml).filter((v, i, all) => all.indexOf(v) === i).join(', ');
    const label = `${unescapeHtml(hit.name)}${place ? ` – ${place}` : ''}`;
    const link = svgEl(doc, 'a', { href: recordHref(hit.id), class: 'map-point', 'data-record': hit.id, 'aria-label': label });
    const title = svgEl(doc, 'title');
    title.textContent = label;
    link.append(title, svgEl(doc, 'circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 7 }));
    const show = () => { caption.textContent = label; };
    link.addEventListener('focus', show);
    link.addEventListener('mouseenter', show);
    group.append(link);
  }
  svg.append(group);

  const figure = el(doc, 'div', 'map-figure');
  figure.append(svg, caption);
  container.replaceChildren(heading, summary, figure);
}
