// A site's records set-up, without the shell: its profile files and plug-in configurations, a profile drafted from a
// sample export, tried on the sample (nothing stored), a code table drafted from the department's code list, and the
// site as the folder that provisions it. For national staff, the site administrator and the site's police analysts.

import { api, upload, h, show, notice, failed, table } from './lib.js';

const CSV_ADAPTER = 'org.dmiplatform.adapter.csv';

export async function setupPage(site) {
  const [detail, setup] = await Promise.all([api('GET', `/sites/${site}`), api('GET', `/sites/${site}/profiles`)]);
  const zone = detail.site.timeZone;
  const profiles = setup.files.filter((f) => f.kind === 'profile').map((f) => f.name);
  const adapter = setup.plugins.find((p) => p.factoryPid === CSV_ADAPTER);
  const sample = h('input', { type: 'file', id: 'sample-file', accept: '.csv,.txt,.tsv,text/csv,text/plain' });

  const files = table(
    'profile-files',
    ['File', 'Kind', 'Size', ''],
    setup.files.map((f) =>
      h(
        'tr',
        { 'data-file': f.name },
        h('td', {}, f.name),
        h('td', {}, f.kind === 'profile' ? 'records profile' : 'code table or lookup'),
        h('td', {}, `${Math.max(1, Math.round(f.bytes / 1024))} KB`),
        h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => openFile(site, f.name) }, 'Open'), ' ', h('button', { type: 'button', class: 'secondary', onclick: () => removeFile(site, f.name) }, 'Remove')),
      ),
    ),
  );
  const pluginRows = setup.plugins.map((p) => h('tr', { 'data-plugin': p.factoryPid }, h('td', {}, p.factoryPid), h('td', {}, Object.entries(p.properties).map(([k, v]) => `${k} = ${v}`).join('; '))));
  const use = h('select', { id: 'adapter-profile' }, profiles.map((name) => h('option', { value: name, selected: adapter && adapter.properties.profile === name }, name)));
  const useForm = h(
    'form',
    { class: 'card', 'data-test': 'adapter-form' },
    h('h2', {}, 'The profile imports use'),
    h('p', { class: 'muted' }, adapter ? `The CSV adapter reads exports through ${adapter.properties.profile}.` : 'No CSV adapter is configured yet: choose the profile it should read exports through.'),
    profiles.length ? [h('label', { for: 'adapter-profile' }, 'Profile'), use, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Use this profile'))] : h('p', {}, 'Save a profile first (below).'),
  );
  useForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('PUT', `/sites/${site}/plugins/${CSV_ADAPTER}`, { profile: use.value });
      notice(`Imports at ${site} now read exports through ${use.value}.`, true);
      await setupPage(site);
    } catch (error) {
      failed(error);
    }
  });

  const result = h('div', { 'data-test': 'setup-result', 'aria-live': 'polite' });
  const draftButton = h('button', { type: 'button', 'data-test': 'draft' }, 'Draft a profile from the sample');
  draftButton.addEventListener('click', async () => {
    if (!sample.files.length) return notice('Choose a sample export first (its first few thousand rows are enough).');
    try {
      const draft = await upload(`/sites/${site}/profile-drafts?${new URLSearchParams({ name: sample.files[0].name })}`, sample.files[0], 'POST', 'text/csv');
      result.replaceChildren(draftView(site, draft, sample.files[0].name));
    } catch (error) {
      failed(error);
    }
  });
  const trialProfile = h('select', { id: 'trial-profile' }, profiles.map((name) => h('option', { value: name }, name)));
  const trialButton = h('button', { type: 'button', 'data-test': 'trial' }, 'Try it on the sample');
  trialButton.addEventListener('click', async () => {
    if (!sample.files.length) return notice('Choose a sample export first.');
    if (!trialProfile.value) return notice('Save a profile first.');
    try {
      const trial = await upload(`/sites/${site}/profiles/${encodeURIComponent(trialProfile.value)}/trial?${new URLSearchParams({ name: sample.files[0].name, show: '20' })}`, sample.files[0], 'POST', 'text/csv');
      result.replaceChildren(trialView(trial, zone));
    } catch (error) {
      failed(error);
    }
  });
  const sampleCard = h(
    'section',
    { class: 'card', 'data-test': 'sample-card' },
    h('h2', {}, 'From a sample export to a profile'),
    h('p', { class: 'muted' }, `Nothing is stored from the sample: the draft and the dry run show only the file you send. Times are read and shown in the site's time zone, ${zone}.`),
    h('label', { for: 'sample-file' }, 'Sample export (CSV or other delimited text)'),
    sample,
    h('div', { class: 'actions' }, draftButton),
    profiles.length ? h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'trial-profile' }, 'Profile to try'), trialProfile), h('div', { class: 'actions' }, trialButton)) : null,
  );

  show(
    h('p', {}, h('a', { href: `#/sites/${site}` }, '← site'), ' · ', h('a', { href: `#/sites/${site}/records` }, 'records and imports')),
    h('h1', {}, `Records set-up — ${detail.site.name}`),
    h('div', { class: 'cols' }, h('section', { class: 'card' }, h('h2', {}, 'Profile files'), setup.files.length ? files : h('p', { class: 'muted' }, 'None yet.'), h('p', {}, h('a', { href: `/api/v1/sites/${site}/export`, download: `${site}.zip`, 'data-test': 'export' }, 'Download the site as its folder (zip)'))), h('section', { class: 'card' }, h('h2', {}, 'Plug-in configurations'), pluginRows.length ? table('plugin-configs', ['Plug-in', 'Settings'], pluginRows) : h('p', { class: 'muted' }, 'None.'), h('p', { class: 'muted' }, `Features: ${setup.features.join(', ') || 'none'}`))),
    useForm,
    sampleCard,
    result,
    codeListCard(site),
    fileEditor(site),
  );
}

async function openFile(site, name) {
  try {
    const response = await fetch(`/api/v1/sites/${site}/profiles/${encodeURIComponent(name)}`, { credentials: 'same-origin' });
    const text = await response.text();
    if (!response.ok) return notice(`${name} could not be opened (${response.status}).`);
    document.getElementById('edit-name').value = name;
    document.getElementById('edit-text').value = text;
    document.getElementById('edit-name').scrollIntoView();
  } catch (error) {
    failed(error);
  }
}

async function removeFile(site, name) {
  if (!confirm(`Remove ${name}? A file a profile or plug-in still uses cannot be removed.`)) return;
  try {
    await api('DELETE', `/sites/${site}/profiles/${encodeURIComponent(name)}`);
    notice(`${name} removed.`, true);
    await setupPage(site);
  } catch (error) {
    failed(error);
  }
}

async function saveFile(site, name, text) {
  await upload(`/sites/${site}/profiles/${encodeURIComponent(name)}`, new Blob([text]), 'PUT', name.endsWith('.json') ? 'application/json' : 'text/csv');
}

/** A file of profiles/ typed or pasted, saved after every check. */
function fileEditor(site) {
  const name = h('input', { id: 'edit-name', placeholder: 'e.g. calls.json or calls-codes.csv' });
  const text = h('textarea', { id: 'edit-text', rows: 16, spellcheck: 'false' });
  const editor = h('form', { class: 'card', 'data-test': 'file-editor' }, h('h2', {}, 'Edit a profile file'), h('label', { for: 'edit-name' }, 'File name'), name, h('label', { for: 'edit-text' }, 'Contents'), text, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Check and save')));
  editor.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await saveFile(site, name.value.trim(), text.value);
      notice(`${name.value.trim()} checked and saved.`, true);
      await setupPage(site);
    } catch (error) {
      failed(error);
    }
  });
  return editor;
}

function draftView(site, draft, sampleName) {
  const base = sampleName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'records';
  const profileName = h('input', { id: 'draft-name', value: `${base}.json` });
  const profileText = h('textarea', { id: 'draft-profile', rows: 24, spellcheck: 'false' }, draft.profile);
  const tableText = draft.codeTableName ? h('textarea', { id: 'draft-codes', rows: 10, spellcheck: 'false' }, draft.codeTable) : null;
  const save = h('button', { type: 'button', 'data-test': 'save-draft' }, draft.codeTableName ? `Check and save the profile and ${draft.codeTableName}` : 'Check and save the profile');
  save.addEventListener('click', async () => {
    try {
      if (tableText) await saveFile(site, draft.codeTableName, tableText.value);
      await saveFile(site, profileName.value.trim(), profileText.value);
      notice(`${profileName.value.trim()} saved: try it on the sample.`, true);
      await setupPage(site);
    } catch (error) {
      failed(error);
    }
  });
  const l = draft.layout;
  return h(
    'section',
    { class: 'card', 'data-test': 'draft-view' },
    h('h2', {}, 'Draft profile'),
    h('p', {}, `${l.encoding}${l.byteOrderMark ? ' with a byte-order mark' : ''}, delimiter ${l.delimiter === 'tab' ? 'tab' : `"${l.delimiter}"`}, ${l.header ? 'a header row' : 'no header row (columns by position)'}${l.skipLines ? `, ${l.skipLines} line(s) before it` : ''}; ${l.rows} rows read.`),
    draft.notes.length ? [h('h3', {}, 'To check'), h('ul', { 'data-test': 'draft-notes' }, draft.notes.map((n) => h('li', {}, n)))] : null,
    h('h3', {}, 'Columns'),
    table(
      'draft-columns',
      ['#', 'Column', 'Type', 'Filled', 'Distinct', 'Examples', 'Formats', 'Used as', 'Note'],
      draft.columns.map((c) => h('tr', {}, h('td', {}, String(c.position)), h('td', {}, c.name), h('td', {}, c.type), h('td', {}, String(c.filled)), h('td', {}, `${c.distinct}${c.distinctCapped ? '+' : ''}${c.unique ? ' (unique)' : ''}`), h('td', {}, c.examples.join(' | ')), h('td', {}, c.formats.join(' | ')), h('td', {}, c.use), h('td', {}, c.note))),
    ),
    h('label', { for: 'draft-name' }, 'Save the profile as'),
    profileName,
    h('label', { for: 'draft-profile' }, 'Profile (edit before saving)'),
    profileText,
    tableText ? [h('label', { for: 'draft-codes' }, `Code table ${draft.codeTableName}: every category to be checked`), tableText] : null,
    h('div', { class: 'actions' }, save),
  );
}

function trialView(trial, zone) {
  const reasons = (test, list) =>
    table(test, ['Rows', 'Field', 'Reason', 'Lines', 'Example'], list.map((r) => h('tr', {}, h('td', {}, String(r.rows)), h('td', {}, r.field), h('td', {}, r.reason), h('td', {}, r.lines.join(', ')), h('td', {}, r.example))));
  return h(
    'section',
    { class: 'card', 'data-test': 'trial-view' },
    h('h2', {}, `Dry run of ${trial.profile} on ${trial.sample}`),
    h('p', { 'data-test': 'trial-counts' }, `${trial.read} rows read: ${trial.imported} would be imported, ${trial.quarantined} quarantined, ${trial.skipped} skipped, ${trial.merged} merged, ${trial.deletes} delete instructions. Nothing was stored.`),
    trial.warnings.length ? [h('h3', {}, 'Warnings'), h('ul', { 'data-test': 'trial-warnings' }, trial.warnings.map((w) => h('li', { class: 'warning' }, w)))] : h('p', { class: 'muted' }, 'No warning.'),
    h('p', {}, 'By category: ', Object.entries(trial.categories).map(([c, n]) => `${c.toLowerCase().replace(/_/g, '-')} ${n}`).join(', ') || 'none'),
    trial.quarantineReasons.length ? [h('h3', {}, 'Would be quarantined'), reasons('trial-quarantine', trial.quarantineReasons)] : null,
    trial.skipReasons.length ? [h('h3', {}, 'Would be skipped'), reasons('trial-skips', trial.skipReasons)] : null,
    h('h3', {}, `The first records beside their rows (times in ${zone})`),
    table(
      'trial-records',
      ['Line', 'Source row', 'Id', 'Occurred', 'Category', 'Code', 'Place', 'Warnings'],
      trial.first.map((m) => h('tr', {}, h('td', {}, String(m.line)), h('td', { class: 'lines' }, m.source), h('td', {}, m.record.sourceId), h('td', {}, m.occurredFrom), h('td', {}, m.record.category.toLowerCase().replace(/_/g, '-'), m.record.partOne ? ' (Part I)' : ''), h('td', {}, m.record.code), h('td', {}, m.record.location ? `${m.record.location.latitude.toFixed(5)}, ${m.record.location.longitude.toFixed(5)}` : '—'), h('td', {}, m.record.warnings.join(' ')))),
    ),
  );
}

/** A department's code list (a spreadsheet or CSV) drafted into a code table: its columns first, then the table. */
function codeListCard(site) {
  const file = h('input', { type: 'file', id: 'code-list', accept: '.xlsx,.xls,.csv' });
  const columns = h('div', { 'data-test': 'code-list-columns' });
  const read = h('button', { type: 'button', 'data-test': 'read-code-list' }, 'Read its columns');
  read.addEventListener('click', async () => {
    if (!file.files.length) return notice('Choose the code list first.');
    const name = file.files[0].name;
    try {
      const list = await upload(`/sites/${site}/code-table-drafts?${new URLSearchParams({ name })}`, file.files[0], 'POST', type(name));
      const choose = (id, label, optional) => [h('label', { for: id }, label), h('select', { id }, optional ? h('option', { value: '' }, '(none)') : null, list.columns.map((c) => h('option', { value: c }, c)))];
      const target = h('input', { id: 'code-table-name', value: `${name.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}-codes.csv` });
      const draft = h('button', { type: 'button', 'data-test': 'draft-code-table' }, 'Draft the code table');
      const out = h('div');
      draft.addEventListener('click', async () => {
        const params = new URLSearchParams({ name, code: document.getElementById('list-code').value });
        for (const key of ['text', 'nibrs']) if (document.getElementById(`list-${key}`).value) params.set(key, document.getElementById(`list-${key}`).value);
        try {
          const table = await upload(`/sites/${site}/code-table-drafts?${params}`, file.files[0], 'POST', type(name));
          const text = h('textarea', { id: 'code-table-text', rows: 12, spellcheck: 'false' }, table.csv);
          const save = h('button', { type: 'button' }, 'Check and save');
          save.addEventListener('click', async () => {
            try {
              await saveFile(site, target.value.trim(), text.value);
              notice(`${target.value.trim()} saved; name it in the profile's "codes".`, true);
              await setupPage(site);
            } catch (error) {
              failed(error);
            }
          });
          out.replaceChildren(h('p', {}, `${table.codes} codes; ${table.toCheck.length} to check (categories guessed from words or left other): ${table.toCheck.slice(0, 30).join(', ')}${table.toCheck.length > 30 ? ' …' : ''}`), h('label', { for: 'code-table-text' }, 'Code table'), text, h('label', { for: 'code-table-name' }, 'Save as'), target, h('div', { class: 'actions' }, save));
        } catch (error) {
          failed(error);
        }
      });
      columns.replaceChildren(h('p', {}, `${list.rows} rows${list.sheet ? ` in sheet "${list.sheet}"` : ''}.`), h('div', { class: 'grid' }, h('div', {}, choose('list-code', 'Code column')), h('div', {}, choose('list-text', 'Description column', true)), h('div', {}, choose('list-nibrs', 'NIBRS code column', true))), h('div', { class: 'actions' }, draft), out);
    } catch (error) {
      failed(error);
    }
  });
  return h('section', { class: 'card', 'data-test': 'code-list-card' }, h('h2', {}, 'A code table from the department\'s code list'), h('p', { class: 'muted' }, 'An Excel workbook (.xlsx, .xls) or CSV file, one row per code. Categories come from a NIBRS code column where the list has one, else from the words of the description; every guess is listed to check.'), h('label', { for: 'code-list' }, 'Code list'), file, h('div', { class: 'actions' }, read), columns);
}

function type(name) {
  if (/\.xlsx$/i.test(name)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (/\.xls$/i.test(name)) return 'application/vnd.ms-excel';
  return 'text/csv';
}
