// The site's service directory (Steps 7a and 9): search by the six categories, words and distance, the providers on a
// map over the site's own layers, one service's details, and, for those who keep it, importing an HSDS package with
// its report, and the HSDS 3.0 export.

import { api, upload, h, show, notice, failed, holdsAt, table, tip, siteMap } from './lib.js';

export const CATEGORIES = [
  ['drug-treatment', 'Drug treatment'],
  ['education', 'Education'],
  ['job-training', 'Job training'],
  ['employment', 'Employment'],
  ['family', 'Family'],
  ['transportation', 'Transportation'],
];

export async function directoryPage(site) {
  const keepers = holdsAt(site, 'site-admin', 'services', 'community', 'tta-admin');
  const boxes = CATEGORIES.map(([id, label]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: id, 'data-test': `category-${id}` }), ' ', label));
  const words = h('input', { id: 'directory-q', type: 'search', placeholder: 'detox, GED, bus pass…', 'data-test': 'directory-q' });
  const within = h('input', { id: 'directory-within', type: 'number', min: '0.1', max: '500', step: '0.1', placeholder: 'any' });
  const point = h('span', { class: 'muted', 'data-test': 'directory-near' }, 'Click the map to search around a place.');
  const results = h('div', { 'data-test': 'directory-results' });
  const detail = h('div', { 'data-test': 'directory-detail' });
  const sources = h('p', { class: 'muted', 'data-test': 'directory-sources' });
  const mapBox = h('div', { class: 'map', 'data-test': 'directory-map' });
  const search = h('form', { class: 'card', 'data-test': 'directory-search' }, h('h2', {}, 'Find a service'),
    h('div', { class: 'checks' }, ...boxes),
    h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'directory-q' }, 'Words'), words), h('div', {}, h('label', { for: 'directory-within' }, 'Within (km)'), within)),
    point, h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'directory-go' }, 'Search')));
  // the local directory's form: a new service, or one chosen with Edit
  let editing = null; // the service being changed, as fetched: what the form does not show is kept
  const f = {
    name: h('input', { id: 'svc-name', 'data-test': 'svc-name' }),
    organization: h('input', { id: 'svc-org', 'data-test': 'svc-org' }),
    description: h('textarea', { id: 'svc-description', rows: '2' }),
    address: h('input', { id: 'svc-address', 'data-test': 'svc-address' }),
    lon: h('input', { id: 'svc-lon', type: 'number', step: 'any', 'data-test': 'svc-lon' }),
    lat: h('input', { id: 'svc-lat', type: 'number', step: 'any', 'data-test': 'svc-lat' }),
    hours: h('input', { id: 'svc-hours', placeholder: 'Mon-Fri 09:00-17:00' }),
    eligibility: h('input', { id: 'svc-eligibility' }),
    languages: h('input', { id: 'svc-languages', placeholder: 'English, Spanish' }),
    phone: h('input', { id: 'svc-phone' }),
  };
  const kinds = CATEGORIES.map(([id, label]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: id, 'data-test': `svc-category-${id}` }), ' ', label));
  const editTitle = h('h2', {}, 'Add a service to the local directory');
  const field = (label, input) => h('div', {}, h('label', { for: input.id }, label), input);
  const editForm = h('form', { class: 'card', 'data-test': 'directory-edit' }, editTitle,
    h('p', { class: 'muted' }, 'For providers the imported directory lacks. Click the map to place it. Saving marks it verified today.'),
    h('div', { class: 'checks' }, ...kinds),
    h('div', { class: 'grid' }, field('Service', f.name), field('Provider (organisation)', f.organization), field('Address', f.address), field('Longitude', f.lon), field('Latitude', f.lat), field('Hours', f.hours), field('Who may use it', f.eligibility), field('Languages', f.languages), field('Phone', f.phone)),
    field('What it offers', f.description),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'svc-save' }, 'Save'), h('button', { type: 'button', class: 'secondary', onclick: () => fill(null) }, 'New')));
  function fill(s) {
    editing = s || null;
    editTitle.textContent = s ? `Change ${s.name}` : 'Add a service to the local directory';
    const l = s && s.locations[0];
    f.name.value = s ? s.name : '';
    f.organization.value = s ? s.organization.name : '';
    f.description.value = s ? s.description : '';
    f.address.value = l ? l.address : '';
    f.lon.value = l && l.longitude != null ? l.longitude : '';
    f.lat.value = l && l.latitude != null ? l.latitude : '';
    f.hours.value = l ? l.hours.join('; ') : '';
    f.eligibility.value = s ? s.eligibility : '';
    f.languages.value = s ? s.languages.join(', ') : '';
    f.phone.value = s && s.contacts[0] ? s.contacts[0].phone : '';
    kinds.forEach((k) => { k.querySelector('input').checked = !!s && s.categories.includes(k.querySelector('input').value); });
  }
  editForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const number = (v) => (v === '' ? null : Number(v));
    const was = editing || { organization: { id: '', description: '', url: '', email: '' }, locations: [], contacts: [], hours: [], url: '', email: '', status: 'active' };
    const hours = f.hours.value ? f.hours.value.split(';').map((x) => x.trim()).filter(Boolean) : [];
    const first = { ...(was.locations[0] || { id: '', name: '' }), address: f.address.value, longitude: number(f.lon.value), latitude: number(f.lat.value), hours };
    const phone = { ...(was.contacts[0] || { name: '', title: '', email: '' }), phone: f.phone.value };
    const body = {
      ...was,
      distanceKm: null,
      name: f.name.value,
      description: f.description.value,
      categories: kinds.map((k) => k.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      organization: { ...was.organization, name: f.organization.value },
      locations: f.address.value ? [first, ...was.locations.slice(1)] : was.locations.slice(1),
      eligibility: f.eligibility.value,
      languages: f.languages.value.split(',').map((x) => x.trim()).filter(Boolean),
      contacts: f.phone.value ? [phone, ...was.contacts.slice(1)] : was.contacts.slice(1),
      // service-level hours are kept; typed hours belong to the first place, or to the service without one
      hours: f.address.value ? was.hours : hours,
    };
    try {
      const saved = editing ? await api('PUT', `/sites/${site}/directory/services/${encodeURIComponent(editing.id)}`, body) : await api('POST', `/sites/${site}/directory/services`, body);
      notice(`${saved.name}: saved in the local directory.`, true);
      fill(null);
      await run();
    } catch (error) {
      failed(error);
    }
  });

  show(h('h1', {}, 'Service directory'), h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')), sources, search,
    h('div', { class: 'map-wrap' }, mapBox, detail), results,
    h('p', {}, h('a', { href: `/api/v1/sites/${site}/directory/export`, 'data-test': 'directory-export' }, 'Export the directory (Open Referral HSDS 3.0 JSON)')),
    keepers ? importForm(site) : null, keepers ? editForm : null);

  const [{ layers }, about] = await Promise.all([api('GET', `/sites/${site}/layers`).catch(() => ({ layers: [] })), api('GET', `/sites/${site}`)]);
  // the site's first layer is enough of a base map to place providers
  const { map } = await siteMap(mapBox, site, layers.slice(0, 1), about.site.bounds, false);
  const providers = L.featureGroup().addTo(map);
  let near = null;
  let nearMarker = null;
  map.on('click', (e) => {
    near = e.latlng;
    if (nearMarker) map.removeLayer(nearMarker);
    nearMarker = L.circleMarker(near, { radius: 7, color: '#c0392b', weight: 3, fillOpacity: 0 }).addTo(map);
    point.textContent = `Around ${near.lat.toFixed(5)}, ${near.lng.toFixed(5)} (click elsewhere to move, or search again)`;
    f.lon.value = near.lng.toFixed(6);
    f.lat.value = near.lat.toFixed(6);
  });

  async function run() {
    const p = new URLSearchParams();
    const chosen = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (chosen.length) p.set('category', chosen.join(','));
    if (words.value.trim()) p.set('q', words.value.trim());
    if (near) p.set('near', `${near.lng},${near.lat}`);
    if (near && within.value) p.set('withinKm', within.value);
    p.set('limit', '200');
    const found = await api('GET', `/sites/${site}/directory?${p}`);
    sources.textContent = found.directories.join(' · ');
    providers.clearLayers();
    for (const s of found.services) {
      for (const l of s.locations) {
        if (l.latitude == null) continue;
        L.circleMarker([l.latitude, l.longitude], { radius: 6, color: '#1f618d', weight: 2, fillOpacity: 0.6 })
          .bindTooltip(tip(`${s.name} — ${l.name || l.address}`)).on('click', () => showService(s)).addTo(providers);
      }
    }
    editForm.hidden = !found.editable;
    const local = new Set(found.editableIds);
    results.replaceChildren(found.services.length
      ? table('directory', ['Service', 'Provider', 'Categories', 'Distance', 'Verified', ''], found.services.map((s) => h('tr', {},
          h('td', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); showService(s); } }, s.name)),
          h('td', {}, s.organization.name),
          h('td', {}, s.categories.map((c) => h('span', { class: 'pill' }, c.replace(/-/g, ' ')))),
          h('td', {}, s.distanceKm == null ? '' : `${s.distanceKm.toFixed(1)} km`),
          h('td', {}, s.lastVerified || 'never'),
          h('td', {}, keepers && local.has(s.id) ? [
            h('button', { type: 'button', class: 'secondary', 'data-test': 'svc-edit', onclick: () => { fill(s); editForm.scrollIntoView(); } }, 'Edit'),
            h('button', { type: 'button', class: 'secondary', 'data-test': 'svc-remove', onclick: () => api('DELETE', `/sites/${site}/directory/services/${encodeURIComponent(s.id)}`).then(() => { notice(`${s.name}: removed.`, true); return run(); }).catch(failed) }, 'Remove')] : null))))
      : h('p', { class: 'muted', 'data-test': 'directory-none' }, 'No service matches: fewer words or categories, or a wider distance.'));
  }

  function showService(s) {
    detail.replaceChildren(h('div', { class: 'card', 'data-test': 'directory-service' },
      h('h3', {}, s.name), h('p', {}, s.organization.name),
      s.description ? h('p', {}, s.description) : null,
      s.eligibility ? h('p', {}, h('strong', {}, 'Who: '), s.eligibility) : null,
      s.languages.length ? h('p', {}, h('strong', {}, 'Languages: '), s.languages.join(', ')) : null,
      ...s.locations.map((l) => h('p', {}, h('strong', {}, l.name || 'Location'), ': ', l.address, l.hours.length ? ` (${l.hours.join('; ')})` : '')),
      s.hours.length ? h('p', {}, h('strong', {}, 'Hours: '), s.hours.join('; ')) : null,
      ...s.contacts.map((c) => h('p', {}, [c.name, c.title, c.phone, c.email].filter(Boolean).join(' · '))),
      /^https?:\/\//i.test(s.url) ? h('p', {}, h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.url)) : s.url ? h('p', {}, s.url) : null,
      h('p', { class: 'muted' }, `Last verified: ${s.lastVerified || 'never'} · ${s.status}`)));
  }

  search.addEventListener('submit', (e) => {
    e.preventDefault();
    run().catch(failed);
  });
  await run();
}

function importForm(site) {
  const file = h('input', { id: 'directory-file', type: 'file', accept: '.zip,.json', 'data-test': 'directory-file' });
  const report = h('div', { 'data-test': 'directory-report' });
  const form = h('form', { class: 'card', 'data-test': 'directory-import' }, h('h2', {}, 'Import an Open Referral (HSDS) package'),
    h('p', { class: 'muted' }, 'A zipped CSV data package (HSDS 3.0 or 1.1, with its datapackage.json) or HSDS 3.0 JSON. It replaces the imported directory; rows that cannot be used are listed.'),
    h('div', {}, h('label', { for: 'directory-file' }, 'Package'), file),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'directory-upload' }, 'Import')), report);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files.length) return notice('Choose the package first.');
    try {
      const r = await upload(`/sites/${site}/directory/import?${new URLSearchParams({ file: file.files[0].name })}`, file.files[0]);
      notice(`${r.format}: ${r.services} services, ${r.organizations} organisations, ${r.locations} locations; ${r.rejected.length} rows or fields not used.`, true);
      report.replaceChildren(
        ...r.notes.map((n) => h('p', { class: 'muted' }, n)),
        r.rejected.length ? table('directory-rejected', ['File', 'Row', 'Field', 'Reason'], r.rejected.map((x) => h('tr', {}, h('td', {}, x.source), h('td', {}, String(x.line)), h('td', {}, x.field), h('td', {}, x.reason)))) : null);
    } catch (error) {
      failed(error);
    }
  });
  return form;
}
