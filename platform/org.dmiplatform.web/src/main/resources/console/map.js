// Step 1 on a map: the site's boundary layers as the base map (no outside tiles), records as points, hot spots
// (Gi*, kernel density, grid counts) with a legend, suggested target/comparison/buffer areas, drawing the areas and
// saving them on the intervention with the rationale, uploading layers and printing the map.

import { api, upload, h, show, notice, failed, holdsAt, tip, siteMap } from './lib.js';

const CATEGORIES = ['drug', 'weapons', 'sex-offense', 'prostitution', 'violent-part-i', 'property-part-i', 'disorder', 'other'];
const AREA_STYLE = {
  target: { color: '#c0392b', weight: 3, fillOpacity: 0.12 },
  comparison: { color: '#1f618d', weight: 2, dashArray: '8 5', fillOpacity: 0.08 },
  buffer: { color: '#d68910', weight: 2, dashArray: '4 4', fillOpacity: 0.05 },
};

export async function mapPage(site) {
  const [{ layers }, { interventions }, about] = await Promise.all([api('GET', `/sites/${site}/layers`), api('GET', `/sites/${site}/interventions`), api('GET', `/sites/${site}`)]);
  const editors = holdsAt(site, 'police', 'site-admin', 'tta-admin');
  const drawers = holdsAt(site, 'police', 'research', 'poc', 'site-admin');
  const field = (label, input) => h('div', {}, h('label', { for: input.id }, label), input);
  const category = h('select', { id: 'map-category', 'data-test': 'map-category' }, h('option', { value: '' }, 'all categories'), ...CATEGORIES.map((c) => h('option', { value: c }, c.replace(/-/g, ' '))));
  const kind = h('select', { id: 'map-kind', 'data-test': 'map-kind' }, h('option', { value: '' }, 'all kinds'), h('option', { value: 'incident' }, 'incidents'), h('option', { value: 'call-for-service' }, 'calls for service'), h('option', { value: 'field-contact' }, 'field contacts'));
  const from = h('input', { id: 'map-from', type: 'date' });
  const to = h('input', { id: 'map-to', type: 'date' });
  const method = h('select', { id: 'map-method', 'data-test': 'map-method' }, ...[['gi-star', 'Hot spots (Gi*)'], ['density', 'Kernel density'], ['grid', 'Grid counts'], ['', 'No hot spots']].map(([v, t]) => h('option', { value: v }, t)));
  const units = h('select', { id: 'map-units' }, h('option', { value: '' }, 'grid cells'), ...layers.map((l) => h('option', { value: l.name }, l.label)));
  const cell = h('input', { id: 'map-cell', type: 'number', min: '10', max: '10000', placeholder: 'auto' });
  const recordsAs = h('select', { id: 'map-records', 'data-test': 'map-records' }, h('option', { value: 'clusters' }, 'clusters'), h('option', { value: 'points' }, 'points'), h('option', { value: '' }, 'hidden'));
  const intervention = h('select', { id: 'map-intervention', 'data-test': 'map-intervention' }, h('option', { value: '' }, '(none)'), ...interventions.map((i) => h('option', { value: i.id }, i.name)));
  const legend = h('div', { class: 'legend', 'data-test': 'map-legend' });
  const summary = h('p', { class: 'muted', 'data-test': 'map-summary' });
  const mapBox = h('div', { id: 'map', class: 'map', 'data-test': 'map' });
  const drawRole = h('select', { id: 'map-draw-role', 'data-test': 'map-draw-role' }, h('option', { value: 'target' }, 'the target area'), h('option', { value: 'comparison' }, 'a comparison area'));
  const rationale = h('textarea', { id: 'map-rationale', rows: '3', placeholder: 'Why these areas: what the hot spots show, what the team knows of the market' });
  const reasons = h('ul', { 'data-test': 'map-reasons' });
  const print = h('a', { class: 'button secondary', target: '_blank', 'data-test': 'map-print' }, 'Printable map (PNG)');
  const filters = h('form', { class: 'card grid', 'data-test': 'map-filters' },
    field('Kind', kind), field('Category', category), field('From', from), field('To', to), field('Show', method), field('Gi* units', units), field('Cell (m)', cell), field('Records as', recordsAs),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'map-show' }, 'Show')));
  show(h('h1', {}, 'Map'), h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')), filters, h('div', { class: 'map-wrap' }, mapBox, legend), summary,
    h('section', { class: 'card' }, h('h2', {}, 'Target, comparison and buffer areas'),
      h('div', { class: 'grid' }, field('Intervention', intervention), drawers ? field('Draw or move', drawRole) : null),
      h('div', { class: 'actions' },
        drawers ? h('button', { type: 'button', 'data-test': 'map-suggest', onclick: () => suggest().catch(failed) }, 'Suggest areas') : null,
        drawers ? h('button', { type: 'button', class: 'secondary', 'data-test': 'map-draw', onclick: () => startDrawing() }, 'Draw') : null,
        drawers ? h('button', { type: 'button', class: 'secondary', 'data-test': 'map-draw-done', onclick: () => finishDrawing() }, 'Finish drawing') : null,
        drawers ? h('button', { type: 'button', class: 'secondary', 'data-test': 'map-edit', onclick: () => editTarget() }, 'Move its corners') : null,
        print),
      reasons,
      drawers ? h('div', {}, h('label', { for: 'map-rationale' }, 'Rationale'), rationale, h('div', { class: 'actions' }, h('button', { type: 'button', 'data-test': 'map-save-areas', onclick: () => save().catch(failed) }, 'Save the areas on the intervention'))) : null),
    editors ? layerForm(site) : null);

  const { map, base } = await siteMap(mapBox, site, layers, about.site.bounds);
  // thousands of cells and points draw on a canvas; layers and areas stay SVG, one element each
  const canvas = L.canvas({ padding: 0.2 });
  const hot = L.featureGroup().addTo(map);
  const points = L.featureGroup().addTo(map);
  const areas = L.featureGroup().addTo(map);
  const drawn = { target: null, comparison: null, buffer: null };
  let drawing = null;

  if (!base.getLayers().length) notice(editors ? 'This site has no boundary layers yet: add its beats or neighbourhoods below, as the base map.' : 'This site has no boundary layers yet.', true);

  const query = () => {
    const p = new URLSearchParams();
    if (kind.value) p.set('kind', kind.value);
    if (category.value) p.set('category', category.value);
    if (from.value) p.set('from', from.value);
    if (to.value) p.set('to', to.value);
    return p;
  };

  let handles = [];
  function drawArea(role, geometry) {
    if (role === 'target') stopEditing();
    if (drawn[role]) areas.removeLayer(drawn[role]);
    drawn[role] = geometry ? L.geoJSON(geometry, { style: AREA_STYLE[role] }).addTo(areas) : null;
  }

  function stopEditing() {
    handles.forEach((m) => map.removeLayer(m));
    handles = [];
  }

  // the suggested buffer was drawn around the target: a new target leaves it behind, so it goes
  function targetChanged() {
    if (!drawn.buffer) return;
    drawArea('buffer', null);
    notice('The buffer was around the earlier target and is cleared: suggest the areas again for a new one, or save without.', true);
  }

  // a handle on every corner of the chosen area (its first polygon's outer ring); dragging one reshapes the area
  function editTarget() {
    stopEditing();
    const role = drawRole.value;
    if (!drawn[role]) return notice(`Draw or suggest ${role === 'target' ? 'a target' : 'a comparison'} area first.`);
    const polygon = drawn[role].getLayers()[0];
    let rings = polygon.getLatLngs();
    while (Array.isArray(rings[0]) && Array.isArray(rings[0][0])) rings = rings[0];
    const ring = rings[0];
    ring.forEach((corner, k) => {
      const handle = L.marker(corner, { draggable: true, icon: L.divIcon({ className: 'corner', iconSize: [12, 12] }) }).addTo(map);
      handle.on('drag', (e) => {
        ring[k] = e.target.getLatLng();
        polygon.setLatLngs(polygon.getLatLngs());
      });
      if (role === 'target') handle.once('dragend', targetChanged);
      handles.push(handle);
    });
    notice(`Drag the corners of the ${role} area, then save the areas.`, true);
  }

  async function refresh() {
    hot.clearLayers();
    points.clearLayers();
    legend.replaceChildren();
    const q = query();
    if (method.value) {
      const p = new URLSearchParams(q);
      p.set('method', method.value);
      if (units.value && method.value === 'gi-star') p.set('layer', units.value);
      if (cell.value) p.set('cell', cell.value);
      try {
        const result = await api('GET', `/sites/${site}/hotspots?${p}`);
        L.geoJSON(result, { renderer: canvas, style: (f) => cellStyle(f.properties), onEachFeature: (f, l) => l.bindTooltip(tip(describe(f.properties))) }).addTo(hot);
        legend.append(...legendFor(method.value, result));
        summary.textContent = Object.entries(result.summary).map(([k, v]) => `${k}: ${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`).join(' · ');
      } catch (error) {
        failed(error);
      }
    }
    const p = new URLSearchParams(q);
    p.set('limit', '1000');
    const page = await api('GET', `/sites/${site}/records?${p}`);
    located = page.records.filter((r) => r.longitude != null);
    drawRecords();
    legend.append(h('p', { class: 'muted', 'data-test': 'map-records-count' }, `● ${located.length} latest records${page.next ? ' (the newest 1000; narrow the filter for the rest)' : ''}`));
    print.href = `/api/v1/sites/${site}/map.png?${new URLSearchParams({ layer: layers.map((l) => l.name).join(','), ...(intervention.value ? { intervention: intervention.value } : {}), ...(method.value ? { hotspots: method.value } : {}), ...Object.fromEntries(q) })}`;
  }

  // records as points, or as clusters of those within 48 pixels of each other at the current zoom
  let located = [];
  function drawRecords() {
    points.clearLayers();
    if (!recordsAs.value) return;
    const point = (r) => L.circleMarker([r.latitude, r.longitude], { renderer: canvas, radius: 3, weight: 1, color: '#17202a', fillOpacity: 0.7 })
      .bindTooltip(tip(`${r.codeText || r.code} · ${r.category} · ${(r.occurredFrom || '').replace('T', ' ').slice(0, 16)}`)).addTo(points);
    if (recordsAs.value === 'points') return located.forEach(point);
    const buckets = new Map();
    for (const r of located) {
      const at = map.latLngToLayerPoint([r.latitude, r.longitude]);
      const key = `${Math.floor(at.x / 48)}:${Math.floor(at.y / 48)}`;
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key).push(r);
    }
    for (const group of buckets.values()) {
      if (group.length === 1) {
        point(group[0]);
        continue;
      }
      const centre = L.latLng(group.reduce((a, r) => a + r.latitude, 0) / group.length, group.reduce((a, r) => a + r.longitude, 0) / group.length);
      const size = Math.min(44, 20 + 4 * Math.log2(group.length));
      L.marker(centre, { icon: L.divIcon({ className: 'cluster', html: String(group.length), iconSize: [size, size] }) })
        .bindTooltip(tip(`${group.length} records; click to zoom in`))
        .on('click', () => map.setView(centre, map.getZoom() + 2))
        .addTo(points);
    }
  }
  map.on('zoomend', drawRecords);
  recordsAs.addEventListener('change', drawRecords);

  async function showIntervention() {
    for (const role of Object.keys(drawn)) drawArea(role, null);
    if (!intervention.value) return;
    const i = await api('GET', `/sites/${site}/interventions/${intervention.value}`);
    const parse = (text) => (text ? JSON.parse(text) : null);
    drawArea('target', parse(i.targetArea));
    drawArea('comparison', parse(i.comparisonArea));
    drawArea('buffer', parse(i.bufferArea));
    rationale.value = i.rationale || '';
  }

  async function suggest() {
    const p = query();
    p.set('comparisons', '1');
    if (cell.value) p.set('cell', cell.value);
    const result = await api('GET', `/sites/${site}/areas/suggested?${p}`);
    reasons.replaceChildren();
    for (const f of result.features) {
      drawArea(f.properties.role, f.geometry);
      reasons.append(h('li', {}, h('strong', {}, f.properties.role), ': ', f.properties.reason));
    }
    rationale.value = result.features.map((f) => `${f.properties.role}: ${f.properties.reason}`).join('\n');
    notice('Suggested areas drawn: edit them or save them on the intervention.', true);
  }

  function startDrawing() {
    drawing = { points: [], line: L.polyline([], { color: '#c0392b', weight: 3 }).addTo(areas) };
    notice(`Click the map to place the corners of the ${drawRole.value} area, then Finish drawing.`, true);
  }
  map.on('click', (e) => {
    if (!drawing) return;
    drawing.points.push([e.latlng.lng, e.latlng.lat]);
    drawing.line.setLatLngs(drawing.points.map(([x, y]) => [y, x]));
  });
  function finishDrawing() {
    if (!drawing) return;
    areas.removeLayer(drawing.line);
    if (drawing.points.length < 3) {
      drawing = null;
      return notice('An area needs at least three corners.');
    }
    const ring = [...drawing.points, drawing.points[0]];
    drawing = null;
    const role = drawRole.value;
    drawArea(role, { type: 'Polygon', coordinates: [ring] });
    if (role === 'target') targetChanged();
  }

  async function save() {
    if (!intervention.value) return notice('Choose the intervention whose areas these are.');
    stopEditing();
    const geometry = (role) => (drawn[role] ? JSON.stringify(drawn[role].toGeoJSON().features[0].geometry) : null);
    await api('PUT', `/sites/${site}/interventions/${intervention.value}/areas`, { target: geometry('target'), comparison: geometry('comparison'), buffer: geometry('buffer'), rationale: rationale.value });
    notice('Areas saved on the intervention.', true);
  }

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    refresh().catch(failed);
  });
  intervention.addEventListener('change', () => showIntervention().then(refresh).catch(failed));
  await refresh();
}

function cellStyle(p) {
  if (p.call === 'hot') return { stroke: false, fillColor: '#d73027', fillOpacity: Math.min(0.85, 0.35 + (p.z || 0) / 20) };
  if (p.call === 'cold') return { stroke: false, fillColor: '#4575b4', fillOpacity: 0.5 };
  if (p.share != null) return { stroke: false, fillColor: '#d73027', fillOpacity: 0.1 + 0.7 * p.share };
  if (p.count != null && p.call === undefined) return { stroke: false, fillColor: '#7d3c98', fillOpacity: 0.5 };
  return { stroke: false, fillOpacity: 0 };
}

function describe(p) {
  if (p.call) return `${p.label ? p.label + ': ' : ''}${p.count} records, Gi* z ${p.z == null ? '—' : p.z.toFixed(2)}, q ${p.q.toFixed(3)} (${p.call})`;
  if (p.perKm2 != null) return `${p.perKm2.toFixed(1)} records per km²`;
  return `${p.count} records`;
}

function legendFor(method, result) {
  const swatch = (colour, opacity, text) => {
    const box = h('span', { class: 'swatch' });
    box.style.background = colour;
    box.style.opacity = String(opacity);
    return h('p', {}, box, ' ', text);
  };
  const pr = result.parameters;
  if (method === 'gi-star') return [h('strong', {}, 'Getis-Ord Gi*'), swatch('#d73027', 0.8, `hot spot (FDR ${pr.alpha})`), swatch('#4575b4', 0.5, 'cold spot'), h('p', { class: 'muted' }, `${pr.units || 'grid cells'}${pr.cellMetres ? ', ' + pr.cellMetres + ' m' : ''}, ${pr.contiguity}`)];
  if (method === 'density') return [h('strong', {}, 'Kernel density'), swatch('#d73027', 0.8, `highest: ${Math.round(result.summary.maxPerKm2)} records/km²`), swatch('#d73027', 0.15, 'low'), h('p', { class: 'muted' }, `bandwidth ${Math.round(pr.bandwidthMetres)} m`)];
  return [h('strong', {}, 'Records per cell'), swatch('#7d3c98', 0.5, `${pr.cellMetres} m cells with records`)];
}

function layerForm(site) {
  const name = h('input', { id: 'layer-name', required: true, pattern: '[a-z0-9][a-z0-9-]{1,39}', placeholder: 'beats' });
  const label = h('input', { id: 'layer-label', placeholder: 'Police beats' });
  const file = h('input', { id: 'layer-file', type: 'file', accept: '.geojson,.json,.kml,.zip', 'data-test': 'layer-file' });
  const form = h('form', { class: 'card', 'data-test': 'layer-form' }, h('h2', {}, 'Add or replace a boundary layer'),
    h('p', { class: 'muted' }, 'GeoJSON, KML, or a shapefile zipped with its .prj. It is reprojected to longitude/latitude and checked against the site.'),
    h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'layer-name' }, 'Short name'), name), h('div', {}, h('label', { for: 'layer-label' }, 'Label'), label), h('div', {}, h('label', { for: 'layer-file' }, 'File'), file)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'layer-upload' }, 'Upload')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files.length) return notice('Choose the layer file first.');
    const f = file.files[0];
    try {
      const layer = await upload(`/sites/${site}/layers?${new URLSearchParams({ name: name.value, label: label.value || name.value, file: f.name })}`, f);
      notice(`Layer ${layer.label}: ${layer.polygons} polygons from ${layer.sourceCrs}.${layer.notes.length ? ' ' + layer.notes.join('; ') : ''}`, true);
      mapPage(site).catch(failed);
    } catch (error) {
      failed(error);
    }
  });
  return form;
}
