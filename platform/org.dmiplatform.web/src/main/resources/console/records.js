// A site's records: its adapters, importing an export with progress, the import history (an import that did not
// publish can run again), each import's quarantine (every unusable row with its line, field and reason), and the
// records themselves, newest first, page by page, times in the site's zone.

import { api, upload, h, show, notice, failed, holdsAt, table, when } from './lib.js';

let polling = null;

export async function recordsPage(site) {
  if (polling) clearTimeout(polling);
  const [{ adapters, imports }, records] = await Promise.all([api('GET', `/sites/${site}/imports`), api('GET', `/sites/${site}/records/counts?by=total&kind=incident`)]);
  const importers = holdsAt(site, 'police', 'site-admin');
  const running = imports.filter((i) => i.status === 'QUEUED' || i.status === 'RUNNING');
  const file = h('input', { type: 'file', id: 'import-file', 'aria-label': 'Export file' });
  const adapter = h('select', { id: 'import-adapter', 'aria-label': 'Adapter' }, adapters.map((a) => h('option', { value: a.split(':')[0] }, a)));
  const start = h('button', { type: 'submit' }, 'Import');
  const form = h('form', { class: 'card', 'data-test': 'import-form' }, h('h2', {}, 'Import an export'), h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'import-file' }, 'File'), file), adapters.length > 1 ? h('div', {}, h('label', { for: 'import-adapter' }, 'Adapter'), adapter) : null), h('div', { class: 'actions' }, start));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!file.files.length) return notice('Choose the export file first.');
    start.disabled = true;
    try {
      const params = new URLSearchParams({ name: file.files[0].name });
      if (adapters.length > 1) params.set('adapter', adapter.value);
      await upload(`/sites/${site}/imports?${params}`, file.files[0]);
      notice(`${file.files[0].name} is being imported.`, true);
      await recordsPage(site);
    } catch (error) {
      failed(error);
    } finally {
      start.disabled = false;
    }
  });
  const progress = running.map((i) =>
    h(
      'div',
      { class: 'card', 'data-test': 'import-progress', 'data-import': i.id },
      h('p', {}, `${i.name}: ${i.status.toLowerCase()}, ${i.read} rows read, ${i.quarantined} quarantined, ${Math.round(i.rowsPerSecond)} rows/s${i.remainingSeconds !== undefined ? `, about ${i.remainingSeconds} s left` : ''}`),
      h('progress', { max: 1, value: i.fraction !== undefined ? i.fraction : 0, 'aria-label': 'progress' }),
      importers ? h('button', { type: 'button', class: 'secondary', onclick: () => api('DELETE', `/sites/${site}/imports/${i.id}`).then(() => recordsPage(site)).catch(failed) }, 'Cancel') : null,
    ),
  );
  show(
    h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')),
    h('h1', {}, 'Records'),
    h('p', { class: 'muted', 'data-test': 'records-count' }, `${records.count} incident(s) published.`),
    adapters.length ? h('p', {}, 'Records adapter: ', adapters.join('; ')) : h('p', { class: 'missing' }, 'No records adapter is bound to this site: ask site IT to install one.'),
    importers && adapters.length ? form : null,
    progress,
    h('h2', {}, 'Imports'),
    table(
      'imports',
      ['Started', 'By', 'File', 'Status', 'Read', 'New', 'Changed', 'Unchanged', 'Quarantined', 'Skipped', 'Merged', 'Delete instructions', 'Withdrawn'],
      imports.map((i) =>
        h(
          'tr',
          { 'data-import': i.id, 'data-status': i.status },
          h('td', {}, when(i.startedAt)),
          h('td', {}, i.startedBy),
          h('td', {}, i.name),
          h(
            'td',
            { 'data-test': 'status' },
            i.status.toLowerCase(),
            i.errors.length ? h('div', { class: 'missing' }, i.errors.join(' ')) : null,
            importers && ['INTERRUPTED', 'FAILED', 'CANCELLED'].includes(i.status)
              ? h('button', { type: 'button', class: 'secondary', 'data-test': 'rerun', onclick: () => api('POST', `/sites/${site}/imports/${i.id}/rerun`).then(() => recordsPage(site)).catch(failed) }, 'Run again')
              : null,
          ),
          h('td', {}, String(i.read)),
          h('td', { 'data-test': 'inserted' }, String(i.inserted)),
          h('td', {}, String(i.updated)),
          h('td', { 'data-test': 'unchanged' }, String(i.unchanged)),
          h('td', {}, i.quarantined ? h('a', { href: `#/sites/${site}/imports/${i.id}`, 'data-test': 'quarantined' }, String(i.quarantined)) : '0'),
          h('td', {}, String(i.skipped)),
          h('td', { title: 'rows repeating a record (one per offence or unit), merged into it' }, String(i.merged)),
          h('td', { title: `delete instructions read; ${i.deleted} stored record(s) removed` }, `${i.deletes} (${i.deleted} removed)`),
          h('td', { title: 'rows of this import a later delete instruction withdrew' }, String(i.withdrawn)),
        ),
      ),
    ),
  );
  document.getElementById('main').append(await latest(site));
  if (running.length) {
    polling = setTimeout(() => {
      if (location.hash === `#/sites/${site}/records`) recordsPage(site).catch(failed);
    }, 1000);
  }
}

export async function quarantinePage(site, id) {
  const [imported, { rows }] = await Promise.all([api('GET', `/sites/${site}/imports/${id}`), api('GET', `/sites/${site}/imports/${id}/quarantine?limit=1000`)]);
  show(
    h('p', {}, h('a', { href: `#/sites/${site}/records` }, '← records')),
    h('h1', {}, `Quarantined and skipped rows of ${imported.name}`),
    h('p', { class: 'muted' }, `${imported.quarantined} row(s) could not be used; each is listed with where and why. Fix them in the source and import again: rows already published are not duplicated.`),
    table('quarantine', ['Line', 'Field', 'Reason', 'Row as read'], rows.map((q) => h('tr', {}, h('td', {}, String(q.line)), h('td', {}, q.field), h('td', {}, q.reason), h('td', { class: 'muted' }, q.raw)))),
    h('h2', {}, 'Skipped'),
    imported.skips.length
      ? [h('p', { class: 'muted' }, `${imported.skipped} row(s) were left out on purpose by the profile's skip rules:`), table('skips', ['Rows', 'Why', 'First line'], imported.skips.map((s) => h('tr', {}, h('td', {}, String(s.rows)), h('td', {}, s.why), h('td', {}, String(s.firstLine)))))]
      : h('p', { class: 'muted' }, 'No row was skipped.'),
  );
}

// The filters a link may carry in the page's address (an alert's records: its week, its measure, the target area)
const FILTERS = ['intervention', 'area', 'from', 'to', 'kind', 'category'];

// The site's newest records, a page at a time; the next page follows the cursor the API returns.
async function latest(site) {
  const asked = new URLSearchParams(location.hash.split('?')[1] || '');
  const filter = FILTERS.filter((k) => asked.get(k)).map((k) => [k, asked.get(k)]);
  const box = h('section', { class: 'card', 'data-test': 'latest-records' }, h('h2', {}, filter.length ? 'Records asked for' : 'Latest records'));
  if (filter.length) {
    box.append(h('p', { 'data-test': 'records-filter' }, filter.map(([k, v]) => `${k} ${v}`).join(' · '), ' · ', h('a', { href: `#/sites/${site}/records` }, 'all records')));
  }
  const rows = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', 'data-test': 'next-page' }, 'More');
  let next = null;
  let zone = '';
  const load = async () => {
    const params = new URLSearchParams({ limit: '25' });
    filter.forEach(([k, v]) => params.set(k, v));
    if (next) params.set('after', next);
    const page = await api('GET', `/sites/${site}/records?${params}`);
    zone = page.zone;
    page.records.forEach((r) =>
      rows.append(
        h(
          'tr',
          { 'data-record': r.sourceId },
          h('td', {}, r.occurredFrom.slice(0, 16).replace('T', ' ')),
          h('td', {}, r.kind.replace(/-/g, ' ')),
          h('td', {}, r.category.replace(/-/g, ' ')),
          h('td', {}, `${r.code} ${r.codeText}`),
          h('td', {}, r.address),
          h('td', {}, r.beat),
        ),
      ),
    );
    next = page.next || null;
    more.hidden = !next;
  };
  more.addEventListener('click', () => load().catch(failed));
  await load();
  box.append(
    h('p', { class: 'muted' }, `Times in ${zone}.`),
    h('table', { 'data-test': 'records' }, h('thead', {}, h('tr', {}, ...['When', 'Kind', 'Category', 'Code', 'Address', 'Beat'].map((t) => h('th', { scope: 'col' }, t)))), rows),
    more,
  );
  return box;
}
