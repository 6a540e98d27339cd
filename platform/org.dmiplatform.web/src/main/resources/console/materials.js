// The shared materials: the letter templates, call-in scripts, guides and training materials the national TTA team
// publishes to every site or to a cohort, each publish a new version; and each site's copies, adopted from a national
// version and adapted, with the national version newer plainly said. The national pages show times in UTC, as the
// other national views do; a site's pages in the site's time zone. Texts are shown as written (as text, never as
// HTML): Markdown reads as it was typed.

import { api, h, show, notice, failed, table, atZone, when } from './lib.js';

const KINDS = [
  ['letter-template', 'Letter template'],
  ['call-in-script', 'Call-in script'],
  ['guide', 'Guide'],
  ['training-material', 'Training material'],
];
const KIND = Object.fromEntries(KINDS);
const PLACEHOLDERS = ['name', 'area', 'date', 'callInDate', 'callInTime', 'callInPlace', 'chief', 'title', 'department', 'mailingAddress'];
const LETTER_HELP = `A letter template is plain text: a blank line between paragraphs; it may use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}, which each letter fills.`;

const forWhom = (m) => (m.cohort ? `the cohort ${m.cohort}` : 'every site') + (m.lawEnforcementOnly ? ' (law enforcement only)' : '');
const utc = (iso) => `${when(iso)} UTC`;
const day = (iso, zone) => atZone(iso, zone).slice(0, 10);

// A text as written, scrollable by keyboard, with a download of it
function textBlock(test, label, text, format, fileName) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  return h('div', { 'data-test': test },
    h('pre', { class: 'material-text', tabindex: '0', role: 'region', 'aria-label': label }, text),
    h('p', {}, h('a', { href: url, download: `${fileName}.${format === 'markdown' ? 'md' : 'txt'}` }, `Download ${label}`)));
}

const fileName = (title) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'material';

// A comparison as a table: each line with its number on either side, marked added or removed
function diffView(diff) {
  const summary = h('p', { 'data-test': 'diff-summary' }, diff.hunks.length
    ? `From ${diff.from} to ${diff.to}: ${diff.added} line(s) added, ${diff.removed} removed.`
    : `${diff.from} and ${diff.to} are the same.`);
  if (!diff.hunks.length) return h('div', {}, summary);
  const rows = [];
  for (const hunk of diff.hunks) {
    rows.push(h('tr', { class: 'hunk' }, h('td', { colspan: '4' }, `Lines ${hunk.fromLine}–${hunk.fromLine + Math.max(hunk.fromLines, 1) - 1} of ${diff.from}, ${hunk.toLine}–${hunk.toLine + Math.max(hunk.toLines, 1) - 1} of ${diff.to}`)));
    let a = hunk.fromLine;
    let b = hunk.toLine;
    for (const line of hunk.lines) {
      const change = line.change === 'same' ? '' : line.change;
      rows.push(h('tr', { class: change || null, 'data-change': line.change },
        h('td', {}, line.change === 'added' ? '' : String(a++)),
        h('td', {}, line.change === 'removed' ? '' : String(b++)),
        h('td', {}, change),
        h('td', { class: 'text' }, line.text)));
    }
  }
  return h('div', {}, summary,
    h('table', { class: 'diff', 'data-test': 'diff' },
      h('caption', {}, `What differs from ${diff.from} to ${diff.to}`),
      h('thead', {}, h('tr', {}, [`Line in ${diff.from}`, `Line in ${diff.to}`, 'Change', 'Text'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

// Where a site's copy stands, in a sentence; dates in the zone given
function stateSentence(state, material, zone) {
  const latest = material.latest.number;
  const copy = state.copy;
  switch (state.state) {
    case 'not-adopted':
      return 'Not adopted: the site holds no copy.';
    case 'current':
      return `Copy ${copy.number}, based on national v${copy.basedOn}, the latest${copy.adapted ? ', adapted by the site' : ''}.`;
    case 'national-newer':
      return `Copy ${copy.number}${copy.adapted ? ' (adapted)' : ''} is based on national v${copy.basedOn}; ${state.newer.map((v) => `v${v.number} published ${day(v.publishedAt, zone)}: ${v.note}`).join('; ')}.`;
    case 'withdrawn':
      return `Withdrawn nationally on ${day(material.withdrawn.withdrawnAt, zone)}: ${material.withdrawn.reason}. The site's copy ${copy.number} (based on v${copy.basedOn}; the last was v${latest}) stays.`;
    default:
      return state.state;
  }
}

// A form with a large text area: the text, a note, and whatever else is given; submit gets the values
function textForm(test, title, { content = '', fields = [], help = null, submitLabel, submit }) {
  const text = h('textarea', { id: `${test}-content`, name: 'content', rows: '16', class: 'material-edit', 'aria-describedby': help ? `${test}-help` : null });
  text.value = content;
  const inputs = { content: text };
  const rows = fields.map(([name, label, type = 'text', options = []]) => {
    const id = `${test}-${name}`;
    let input;
    if (type === 'select') input = h('select', { id, name }, options.map(([value, text]) => h('option', { value }, text)));
    else if (type === 'checkbox') input = h('input', { id, name, type: 'checkbox' });
    else input = h('input', { id, name, type });
    inputs[name] = input;
    return type === 'checkbox' ? h('div', {}, input, ' ', h('label', { for: id, class: 'check' }, label)) : h('div', {}, h('label', { for: id }, label), input);
  });
  const button = h('button', { type: 'submit' }, submitLabel);
  const el = h('form', { class: 'card', 'data-test': test, 'aria-label': title },
    h('h2', {}, title),
    rows.length ? h('div', { class: 'grid' }, rows) : null,
    h('label', { for: `${test}-content` }, 'Text'),
    text,
    help ? h('p', { class: 'muted', id: `${test}-help` }, help) : null,
    h('div', { class: 'actions' }, button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (input.type === 'checkbox') values[name] = input.checked;
      else if (name === 'content' || input.value.trim() !== '') values[name] = name === 'content' ? input.value : input.value.trim();
    }
    button.disabled = true;
    try {
      await submit(values);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

// --- national: the TTA team -------------------------------------------------------------------------------------

export async function materialsPage() {
  const [{ materials }, { sites }] = await Promise.all([api('GET', '/materials'), api('GET', '/sites')]);
  const cohorts = [...new Set(sites.map((s) => s.cohort).filter(Boolean))].sort();
  const rows = materials.map((m) => h('tr', { 'data-material': m.id },
    h('td', {}, h('a', { href: `#/materials/${m.id}`, 'data-test': 'material-link' }, m.title)),
    h('td', {}, KIND[m.kind]),
    h('td', {}, forWhom(m)),
    h('td', {}, `v${m.latest.number}, ${utc(m.latest.publishedAt)}`),
    h('td', { 'data-test': 'adoption' }, m.withdrawn ? `withdrawn ${utc(m.withdrawn.withdrawnAt)}` : `${m.sitesAdopted} of ${m.sitesMeant} site(s) adopted it; ${m.sitesCurrent} on v${m.latest.number}`)));
  const publish = textForm('publish-material', 'Publish a material', {
    fields: [
      ['title', 'Title'],
      ['kind', 'Kind', 'select', KINDS],
      ['cohort', 'For', 'select', [['', 'every site'], ...cohorts.map((c) => [c, `the cohort ${c}`])]],
      ['format', 'Format', 'select', [['text', 'plain text'], ['markdown', 'Markdown']]],
      ['note', 'Note (what it is for)'],
      ['lawEnforcementOnly', 'Law enforcement only: read at a site by police, prosecutors and the site administrator', 'checkbox'],
    ],
    help: `Version 1 is published to the sites at once. ${LETTER_HELP}`,
    submitLabel: 'Publish',
    submit: async (v) => {
      const created = await api('POST', '/materials', v);
      // its page says it is in force at v1 (a notice here would be cleared by the change of page)
      location.hash = `#/materials/${created.summary.id}`;
    },
  });
  show(
    h('h1', {}, 'Materials for the sites'),
    h('p', { class: 'muted' }, 'Letter templates, call-in scripts, guides and training materials, to every site or a cohort. Each publish is a new version; sites adopt a copy and see when a newer one is out. Times in UTC.'),
    materials.length ? table('materials', ['Material', 'Kind', 'For', 'Latest version', 'Sites'], rows) : h('p', { class: 'muted' }, 'Nothing published yet.'),
    publish,
  );
}

export async function materialPage(id) {
  const material = await api('GET', `/materials/${id}`);
  const m = material.summary;
  const rerender = () => materialPage(id);
  const viewer = h('section', { 'aria-live': 'polite', 'data-test': 'material-viewer' });
  const read = async (number) => {
    try {
      const version = await api('GET', `/materials/${id}/versions/${number}`);
      viewer.replaceChildren(h('h2', {}, `National v${number}`), textBlock('version-text', `national v${number}`, version.content, version.format, `${fileName(m.title)}-v${number}`));
    } catch (error) {
      failed(error);
    }
  };
  const compare = async (from, to) => {
    try {
      viewer.replaceChildren(h('h2', {}, `What changed from v${from} to v${to}`), diffView(await api('GET', `/materials/${id}/compare?from=${from}&to=${to}`)));
    } catch (error) {
      failed(error);
    }
  };
  const versions = material.versions.map((v) => h('tr', { 'data-version': v.number },
    h('td', {}, `v${v.number}`), h('td', {}, utc(v.publishedAt)), h('td', {}, v.publishedBy), h('td', { class: 'lines' }, v.note),
    h('td', {},
      h('button', { type: 'button', class: 'secondary', onclick: () => read(v.number) }, `Read v${v.number}`),
      v.number > 1 ? h('button', { type: 'button', class: 'secondary', 'data-test': 'compare-previous', onclick: () => compare(v.number - 1, v.number) }, `Compare with v${v.number - 1}`) : null)));
  const sites = material.sites.map((s) => h('tr', { 'data-site': s.site },
    h('td', {}, h('a', { href: `#/sites/${encodeURIComponent(s.site)}/materials/${id}` }, s.siteName)),
    h('td', { 'data-test': 'site-state' }, s.state.replace(/-/g, ' ')),
    h('td', {}, s.copy ? `copy ${s.copy.number}, based on v${s.copy.basedOn}${s.copy.adapted ? ', adapted' : ''}` : '—'),
    h('td', {}, s.copy ? utc(s.copy.madeAt) : '—')));
  const latest = material.latest;
  const newVersion = m.withdrawn ? null : textForm('new-version', `Publish version ${latest.number + 1}`, {
    content: latest.content,
    fields: [['note', 'What changed (required)'], ['format', 'Format', 'select', latest.format === 'markdown' ? [['markdown', 'Markdown'], ['text', 'plain text']] : [['text', 'plain text'], ['markdown', 'Markdown']]]],
    help: m.kind === 'letter-template' ? LETTER_HELP : 'Sites that adopted an earlier version are told a newer one is out, with your note.',
    submitLabel: `Publish v${latest.number + 1}`,
    submit: async (v) => {
      await api('POST', `/materials/${id}/versions`, { ...v, replaces: latest.number });
      await rerender();
      notice(`Version ${latest.number + 1} published.`, true);
    },
  });
  const reason = h('input', { id: 'withdraw-reason', name: 'reason' });
  const withdraw = m.withdrawn ? null : h('form', { class: 'card', 'data-test': 'withdraw', 'aria-label': 'Withdraw' },
    h('h2', {}, 'Withdraw'),
    h('p', { class: 'muted' }, 'Sites no longer see it unless they hold a copy, which stays; it gets no new version. The versions stay.'),
    h('label', { for: 'withdraw-reason' }, 'Why (the sites read it)'), reason,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Withdraw')));
  withdraw?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!window.confirm(`Withdraw ${m.title}? This cannot be undone.`)) return;
    try {
      await api('POST', `/materials/${id}/withdrawal`, { reason: reason.value });
      await rerender();
      notice(`${m.title} withdrawn.`, true);
    } catch (error) {
      failed(error);
    }
  });
  viewer.replaceChildren(h('h2', {}, `National v${latest.number}, the latest`), textBlock('version-text', `national v${latest.number}`, latest.content, latest.format, `${fileName(m.title)}-v${latest.number}`));
  show(
    h('p', {}, h('a', { href: '#/materials' }, '← materials')),
    h('h1', { 'data-test': 'material-title' }, m.title),
    h('dl', { class: 'facts card' },
      h('dt', {}, 'Kind'), h('dd', {}, KIND[m.kind]),
      h('dt', {}, 'For'), h('dd', {}, forWhom(m)),
      h('dt', {}, 'First published'), h('dd', {}, `${utc(material.createdAt)} by ${material.createdBy}`),
      h('dt', {}, 'State'), h('dd', { 'data-test': 'material-state' }, m.withdrawn ? `withdrawn ${utc(m.withdrawn.withdrawnAt)} by ${m.withdrawn.withdrawnBy}: ${m.withdrawn.reason}` : `in force, v${latest.number}`)),
    h('h2', {}, 'Versions'),
    table('versions', ['Version', 'Published (UTC)', 'By', 'What changed', ''], versions),
    viewer,
    h('h2', {}, 'The sites'),
    sites.length ? table('material-sites', ['Site', 'State', 'Its copy', 'Since (UTC)'], sites) : h('p', { class: 'muted' }, 'No site is in its cohort.'),
    newVersion,
    withdraw,
  );
}

// --- a site -----------------------------------------------------------------------------------------------------

export async function siteMaterialsPage(site) {
  const list = await api('GET', `/sites/${site}/materials`);
  const zone = list.timeZone;
  const rows = list.materials.map(({ material: m, state }) => h('tr', { 'data-material': m.id },
    h('td', {}, h('a', { href: `#/sites/${site}/materials/${m.id}`, 'data-test': 'material-link' }, m.title),
      state.usedForLetters ? h('span', { class: 'pill' }, "the site's letters") : null),
    h('td', {}, KIND[m.kind]),
    h('td', { 'data-test': 'material-state', class: state.state === 'national-newer' || state.state === 'withdrawn' ? 'warning' : null }, stateSentence(state, m, zone)),
    h('td', {}, `v${m.latest.number}, ${day(m.latest.publishedAt, zone)}`)));
  show(
    h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')),
    h('h1', {}, 'Materials from the TTA team'),
    h('p', { class: 'muted' }, `Letter templates, call-in scripts, guides and training materials published for every site${list.cohort ? ` or for the cohort ${list.cohort}` : ''}. Adopt one to keep a copy of the site's own and adapt it; when the TTA team publishes a newer version it shows here. They are shared templates: write no one's name in them. Days in ${zone}.`),
    rows.length ? table('site-materials', ['Material', 'Kind', 'The site\'s copy', 'National version'], rows) : h('p', { class: 'muted' }, 'Nothing published for this site, or for your role, yet.'),
  );
}

export async function siteMaterialPage(site, id) {
  const detail = await api('GET', `/sites/${site}/materials/${id}`);
  const { material: m, state, timeZone: zone } = detail;
  const base = `/sites/${site}/materials/${id}`;
  const rerender = () => siteMaterialPage(site, id);
  const latest = detail.latest;
  const copy = detail.current;
  const viewer = h('section', { 'aria-live': 'polite', 'data-test': 'material-viewer' });
  const view = async (title, load) => {
    try {
      viewer.replaceChildren(h('h2', {}, title), await load());
      viewer.scrollIntoView();
    } catch (error) {
      failed(error);
    }
  };
  const compare = (title, from, to) => view(title, async () => diffView(await api('GET', `${base}/compare?${new URLSearchParams({ from, to })}`)));
  const readVersion = (n) => view(`National v${n}`, async () => {
    const v = await api('GET', `${base}/versions/${n}`);
    return textBlock('version-text', `national v${n}`, v.content, v.format, `${fileName(m.title)}-v${n}`);
  });
  const readCopy = (n) => view(`The site's copy ${n}`, async () => {
    const c = await api('GET', `${base}/copies/${n}`);
    return textBlock('copy-text', `the site's copy ${n}`, c.content, c.format, `${fileName(m.title)}-${site}-copy-${n}`);
  });
  const adopt = async () => {
    try {
      await api('POST', `${base}/adoptions`, {});
      await rerender();
      notice(copy ? `National v${latest.number} taken in as a new copy; the earlier copies stay.` : `${m.title} adopted.`, true);
    } catch (error) {
      failed(error);
    }
  };

  const actions = [];
  const canAdopt = detail.mayAdapt && state.state !== 'withdrawn' && !(state.state === 'current' && !state.copy.adapted);
  if (canAdopt) {
    const label = !copy ? `Adopt national v${latest.number}` : state.state === 'national-newer' ? `Take in national v${latest.number}` : `Start again from national v${latest.number}`;
    actions.push(h('button', { type: 'button', 'data-test': 'adopt', onclick: adopt }, label));
  }
  if (state.state === 'national-newer') {
    actions.push(h('button', { type: 'button', class: 'secondary', 'data-test': 'compare-national', onclick: () => compare(`What changed nationally since v${copy.info.basedOn}`, `national:${copy.info.basedOn}`, `national:${latest.number}`) }, `What changed nationally (v${copy.info.basedOn} → v${latest.number})`));
  }
  if (copy) {
    actions.push(h('button', { type: 'button', class: 'secondary', 'data-test': 'compare-copy', onclick: () => compare(`The site's copy against national v${latest.number}`, `national:${latest.number}`, `copy:${copy.info.number}`) }, `The site's copy against national v${latest.number}`));
  }
  const letters = m.kind === 'letter-template'
    ? h('p', { 'data-test': 'letters-use' }, state.usedForLetters
      ? "The site's letters to call-in candidates are made from this copy."
      : copy ? 'The site\'s letters are made from another letter template; taking this one in again makes it theirs.' : 'Adopting it makes it the template of the site\'s letters.')
    : null;
  const adapt = detail.mayAdapt && copy ? textForm('adapt', `Adapt the site's copy (copy ${copy.info.number + 1})`, {
    content: copy.content,
    fields: [['note', 'What the site changed (optional)']],
    help: m.kind === 'letter-template' ? LETTER_HELP : 'Each save is a new copy; the earlier ones stay.',
    submitLabel: 'Save as a new copy',
    submit: async (v) => {
      await api('POST', `${base}/copies`, { ...v, replaces: copy.info.number });
      await rerender();
      notice(`Copy ${copy.info.number + 1} saved.`, true);
    },
  }) : null;

  viewer.replaceChildren(...(copy
    ? [h('h2', {}, `The site's copy ${copy.info.number}`), textBlock('copy-text', `the site's copy ${copy.info.number}`, copy.content, copy.format, `${fileName(m.title)}-${site}-copy-${copy.info.number}`)]
    : [h('h2', {}, `National v${latest.number}`), textBlock('version-text', `national v${latest.number}`, latest.content, latest.format, `${fileName(m.title)}-v${latest.number}`)]));
  const copies = detail.copies.map((c) => h('tr', { 'data-copy': c.number },
    h('td', {}, String(c.number)), h('td', {}, `v${c.basedOn}`), h('td', {}, c.adoption ? 'adopted national text' : c.adapted ? 'adapted' : 'edited back to the national text'),
    h('td', {}, c.madeBy), h('td', {}, atZone(c.madeAt, zone)), h('td', { class: 'lines' }, c.note),
    h('td', {},
      h('button', { type: 'button', class: 'secondary', onclick: () => readCopy(c.number) }, `Read copy ${c.number}`),
      c.number > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => compare(`Copy ${c.number - 1} to copy ${c.number}`, `copy:${c.number - 1}`, `copy:${c.number}`) }, `Compare with copy ${c.number - 1}`) : null)));
  const versions = detail.versions.map((v) => h('tr', { 'data-version': v.number },
    h('td', {}, `v${v.number}`), h('td', {}, atZone(v.publishedAt, zone)), h('td', {}, v.publishedBy), h('td', { class: 'lines' }, v.note),
    h('td', {},
      h('button', { type: 'button', class: 'secondary', onclick: () => readVersion(v.number) }, `Read v${v.number}`),
      v.number > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => compare(`What changed from v${v.number - 1} to v${v.number}`, `national:${v.number - 1}`, `national:${v.number}`) }, `Compare with v${v.number - 1}`) : null)));
  show(
    h('p', {}, h('a', { href: `#/sites/${site}/materials` }, '← materials')),
    h('h1', { 'data-test': 'material-title' }, m.title),
    h('p', { class: 'muted' }, `${KIND[m.kind]} from the TTA team, for ${forWhom(m)}. Times in ${zone}.`),
    h('div', { class: state.state === 'national-newer' || state.state === 'withdrawn' ? 'card gate' : 'card', 'data-test': 'state' },
      h('p', { 'data-test': 'material-state' }, h('strong', {}, stateSentence(state, m, zone))),
      letters,
      actions.length ? h('div', { class: 'actions' }, actions) : null),
    viewer,
    adapt,
    h('h2', {}, 'The site\'s copies'),
    copies.length ? table('copies', ['Copy', 'Based on', 'How', 'By', `When (${zone})`, 'Note', ''], copies) : h('p', { class: 'muted' }, 'None yet.'),
    h('h2', {}, 'National versions'),
    table('versions', ['Version', `Published (${zone})`, 'By', 'What changed', ''], versions),
  );
}
