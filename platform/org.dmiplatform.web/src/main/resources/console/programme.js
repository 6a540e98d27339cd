// The programme's pages: an intervention's checklist, dealer list, banked cases, call-in, community
// work and timeline; the team; the TTA overview. The API decides who sees and may change what; these
// pages show what it returns and offer the actions the user's roles allow.

import { api, h, show, notice, failed, holdsAt, table, form, act, kebabLabel, atZone, todayAt } from './lib.js';
import { CATEGORIES } from './directory.js';
import { personLink, referralsAtCallIn } from './referrals.js';
import { outcomeTab, alertsSection, processTab, debriefTab, lessonsNote } from './reports.js';
import { releaseForm, reviewsDueSection, oversightSection } from './intelligence.js';

const STATUSES = ['not-started', 'in-progress', 'done', 'blocked', 'not-applicable'];
const INTELLIGENCE = ['police', 'prosecutor', 'site-admin'];
const DECIDERS = ['police', 'prosecutor'];
const TEAM_ROLES = ['police', 'prosecutor', 'community', 'social-services', 'city-management', 'us-attorney', 'faith-based', 'probation-parole', 'outreach', 'reentry', 'research-partner'];

let definition = null;
async function steps() {
  if (!definition) definition = await api('GET', '/programme');
  return definition;
}

const badge = (status) => h('span', { class: `pill status-${status}`, 'data-status': status }, kebabLabel(status));

// --- the interventions of a site (on the site page) ----------------------------------------------------

export async function interventionsSection(site) {
  const [{ interventions }, { alerts }] = await Promise.all([api('GET', `/sites/${site}/interventions`), api('GET', `/sites/${site}/alerts`).catch(() => ({ alerts: [] }))]);
  const rows = interventions.map((i) =>
    h('tr', { 'data-intervention': i.id }, h('td', {}, h('a', { href: `#/sites/${site}/interventions/${i.id}`, 'data-test': 'intervention-link' }, i.name)), h('td', {}, i.startedOn), h('td', {}, i.rationale)),
  );
  const start = holdsAt(site, 'poc', 'site-admin', 'police')
    ? form('new-intervention', 'Start an intervention', [['name', 'Name of the market'], ['startedOn', 'Started on', 'date'], ['rationale', 'Why this market', 'textarea'],
        ...(interventions.length ? [['startFrom', 'Start from an earlier one (its areas; the team is the site\'s, and its debrief\'s lessons show on the steps)', 'select', [['', 'no: a new market'], ...interventions.map((i) => [String(i.id), i.name])]]] : [])], 'Start', async (v) => {
        const created = await api('POST', `/sites/${site}/interventions`, { ...v, ...(v.startFrom ? { startFrom: Number(v.startFrom) } : {}) });
        location.hash = `#/sites/${site}/interventions/${created.id}`;
      })
    : null;
  return h(
    'section',
    {},
    h('h2', {}, 'Market interventions'),
    interventions.length ? table('interventions', ['Market', 'Started', 'Why this market'], rows) : h('p', { class: 'muted' }, 'No intervention yet.'),
    alertsSection(site, alerts),
    start,
    h('p', {}, h('a', { href: `#/sites/${site}/team`, 'data-test': 'team-link' }, 'Team roster, readiness and SWOT')),
    holdsAt(site, 'police', 'site-admin', 'research', 'poc', 'prosecutor') ? h('p', {}, h('a', { href: `#/sites/${site}/records`, 'data-test': 'records-link' }, 'Records: imports from the records system')) : null,
    holdsAt(site, 'police', 'site-admin', 'tta-admin', 'tta-staff') ? h('p', {}, h('a', { href: `#/sites/${site}/setup`, 'data-test': 'setup-link' }, 'Records set-up: profiles, code tables, a dry run on a sample, the site as a folder')) : null,
    holdsAt(site, 'police', 'site-admin', 'research', 'poc', 'prosecutor') ? h('p', {}, h('a', { href: `#/sites/${site}/map`, 'data-test': 'map-link' }, 'Map: layers, hot spots, target and comparison areas')) : null,
    holdsAt(site, 'services', 'community', 'poc') ? h('p', {}, h('a', { href: `#/sites/${site}/follow-ups`, 'data-test': 'follow-ups-link' }, 'Overdue follow-ups (Step 9)')) : null,
    h('p', {}, h('a', { href: `#/sites/${site}/directory`, 'data-test': 'directory-link' }, 'Service directory: drug treatment, education, job training, employment, family, transportation')),
  );
}

// --- one intervention, with tabs ----------------------------------------------------------------------

// Each tab with the roles its page is for (as the API's routes allow them); none: every role at the site
const PEOPLE = ['police', 'prosecutor', 'site-admin', 'community', 'services', 'poc'];
const TABS = [
  ['checklist', 'Steps'],
  ['areas', 'Areas'],
  ['persons', 'Dealer list', PEOPLE],
  ['cases', 'Banked cases', ['police', 'prosecutor', 'site-admin']],
  ['call-in', 'Call-in', PEOPLE],
  ['community', 'Community'],
  ['timeline', 'Timeline'],
  ['process', 'Process'],
  ['outcome', 'Outcome', ['police', 'prosecutor', 'site-admin', 'research', 'poc']],
  ['debrief', 'Debrief'],
];
const offered = (site, roles) => !roles || holdsAt(site, ...roles);

export async function interventionPage(site, id, tab = 'checklist') {
  const [{ intervention, checklist }, { site: where }] = await Promise.all([api('GET', `/sites/${site}/interventions/${id}`), api('GET', `/sites/${site}`)]);
  const base = `/sites/${site}/interventions/${id}`;
  const rerender = () => interventionPage(site, id, tab);
  const nav = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Intervention' },
    TABS.filter(([, , roles]) => offered(site, roles)).map(([key, label]) => h('a', { href: `#${base}/${key}`, 'aria-current': key === tab ? 'page' : null, 'data-tab': key }, label)),
  );
  let body;
  const asked = TABS.find(([key]) => key === tab);
  try {
    if (asked && !offered(site, asked[2])) body = h('p', { class: 'muted', 'data-test': 'not-for-role' }, 'This part of the intervention is not for your role.');
    else if (tab === 'checklist') body = [await lessonsNote(base), await checklistTab(site, base, checklist, rerender, where.timeZone)];
    else if (tab === 'areas') body = areasTab(site, base, intervention, rerender);
    else if (tab === 'persons') body = await personsTab(site, base, rerender, where.timeZone);
    else if (tab === 'cases') body = await casesTab(site, base, rerender);
    else if (tab === 'call-in') body = await callInTab(site, base, rerender);
    else if (tab === 'community') body = await communityTab(site, base, rerender, where.timeZone);
    else if (tab === 'outcome') body = await outcomeTab(site, base, where.timeZone);
    else if (tab === 'process') body = await processTab(base);
    else if (tab === 'debrief') body = await debriefTab(site, base, rerender, where.timeZone);
    else body = await timelineTab(base, where.timeZone);
  } catch (error) {
    failed(error);
    body = h('p', { class: 'muted' }, 'This part is not shown to your role.');
  }
  show(
    h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')),
    h('h1', { 'data-test': 'intervention-name' }, intervention.name),
    h('p', { class: 'muted' }, `Started ${intervention.startedOn}. Current step: `, h('strong', { 'data-test': 'current-step' }, currentLabel(checklist)), `. Fidelity ${checklist.overallFidelity}%.`),
    nav,
    body,
  );
}

function currentLabel(checklist) {
  if (!checklist.currentStep || !definition) return checklist.currentStep || 'all steps done';
  const step = definition.phases.flatMap((p) => p.steps).find((s) => s.id === checklist.currentStep);
  return step ? (step.number ? `Step ${step.number}: ${step.name}` : step.name) : checklist.currentStep;
}

async function checklistTab(site, base, checklist, rerender, zone) {
  const def = await steps();
  const byStep = Object.fromEntries(checklist.steps.map((s) => [s.step, s]));
  const fidelity = Object.fromEntries(checklist.fidelity.map((f) => [f.phase, f]));
  // the current step open, the others folded; what to do next, said first
  return h(
    'div',
    { 'data-test': 'checklist' },
    nextToDo(def, byStep, checklist.currentStep),
    def.phases.map((phase) =>
      h(
        'section',
        { class: 'card', 'data-phase': phase.id },
        h('h2', {}, `${phase.name} `, h('span', { class: 'muted', 'data-test': 'phase-fidelity' }, `fidelity ${fidelity[phase.id].percent}% (${fidelity[phase.id].doneItems} of ${fidelity[phase.id].applicableItems} items)`)),
        phase.steps.map((step) => stepBlock(site, base, step, byStep[step.id], rerender, zone, step.id === checklist.currentStep)),
      ),
    ),
  );
}

// The current step: what it is for, and its first item not yet done or what it waits for
function nextToDo(def, byStep, current) {
  if (!current) return h('p', { class: 'card ready', 'data-test': 'next' }, 'Every step is done or not applicable.');
  const step = def.phases.flatMap((p) => p.steps).find((s) => s.id === current);
  if (!step) return null;
  const progress = byStep[current];
  const label = step.number ? `Step ${step.number}: ${step.name}` : step.name;
  if (progress.blockedBy.length) {
    const b = progress.blockedBy[0];
    return h('p', { class: 'card gate', 'data-test': 'next' }, h('strong', {}, `Next: ${label}. `), `It waits for ${b.waitingFor.join(', ')} (${b.rule}).`);
  }
  const states = Object.fromEntries(progress.items.map((i) => [i.item, i.state.status]));
  const open = step.items.find((i) => !['done', 'not-applicable'].includes(states[i.id]));
  return h('p', { class: 'card', 'data-test': 'next' }, h('strong', {}, `Next: ${label}. `), open ? `To do: ${open.text}` : 'Its items are done: mark the step done.');
}

function stepBlock(site, base, step, progress, rerender, zone, open) {
  const mayChange = holdsAt(site, ...step.roles, 'poc', 'site-admin');
  const items = Object.fromEntries(progress.items.map((i) => [i.item, i.state]));
  const control = (path, current) => {
    if (!mayChange) return null;
    const select = h('select', { 'aria-label': 'status' }, STATUSES.map((s) => h('option', { value: s, selected: s === current.status }, kebabLabel(s))));
    const note = h('input', { type: 'text', placeholder: 'evidence note', 'aria-label': 'evidence note', value: current.note || '' });
    const save = h('button', { type: 'button', class: 'secondary', 'data-test': 'save-status' }, 'Save');
    save.addEventListener('click', () => act(() => api('PUT', `${base}/${path}`, { status: select.value, note: note.value }), `${step.name}: ${kebabLabel(select.value)}.`, rerender));
    return h('span', { class: 'control' }, select, note, save);
  };
  // several items at once: chosen by their boxes, set to one status with one note
  const chosen = step.items.map((item) => (mayChange ? h('input', { type: 'checkbox', value: item.id, 'aria-label': `choose: ${item.text}`, 'data-test': `choose-${item.id}` }) : null));
  const bulk = () => {
    if (!mayChange || step.items.length < 2) return null;
    const select = h('select', { 'aria-label': 'status of the chosen items' }, STATUSES.map((s) => h('option', { value: s, selected: s === 'done' }, kebabLabel(s))));
    const note = h('input', { type: 'text', placeholder: 'evidence note', 'aria-label': 'evidence note for the chosen items' });
    const apply = h('button', { type: 'button', class: 'secondary', 'data-test': `bulk-${step.id}` }, 'Set the chosen items');
    apply.addEventListener('click', () => {
      const ids = chosen.filter((c) => c && c.checked).map((c) => c.value);
      if (!ids.length) {
        notice('Choose the items to set first.');
        return;
      }
      act(async () => {
        let set = 0;
        try {
          for (const item of ids) {
            await api('PUT', `${base}/steps/${step.id}/items/${item}`, { status: select.value, note: note.value });
            set += 1;
          }
        } catch (error) {
          // the items set before the refusal stay set: the page shows them, and the refusal says why
          await rerender();
          if (set) error.message = `${set} of ${ids.length} item(s) set; then: ${error.message}`;
          throw error;
        }
      }, `${step.name}: ${ids.length} item(s) ${kebabLabel(select.value)}.`, rerender);
    });
    return h('div', { class: 'control bulk' }, select, note, apply);
  };
  return h(
    'details',
    { class: 'step', 'data-step': step.id, open: open || null },
    h('summary', {}, h('h3', {}, step.number ? `Step ${step.number}: ${step.name} ` : `${step.name} `, badge(progress.state.status))),
    h('p', { class: 'muted' }, `Goal: ${step.goal}${/[.?!]$/.test(step.goal) ? '' : '.'} Responsible: ${step.roles.join(', ')}.`, progress.state.by ? ` Set by ${progress.state.by} ${atZone(progress.state.at, zone)}${progress.state.note ? `: ${progress.state.note}` : ''}.` : ''),
    progress.blockedBy.map((b) => h('p', { class: 'gate', 'data-gate': b.gate }, `Gate: ${b.rule}. ${b.explanation} Waiting for: ${b.waitingFor.join(', ')}.`)),
    control(`steps/${step.id}`, progress.state),
    h('ul', { class: 'items' }, step.items.map((item, n) => h('li', { 'data-item': item.id }, chosen[n], ' ', badge(items[item.id].status), ' ', item.text, ' ', control(`steps/${step.id}/items/${item.id}`, items[item.id])))),
    bulk(),
  );
}

// A GeoJSON polygon or multipolygon, summarised: rings, positions and bounding box.
function describeArea(geojson) {
  if (!geojson) return 'not set';
  const geometry = JSON.parse(geojson);
  const polygons = geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
  const positions = polygons.flat(2);
  const lons = positions.map((p) => p[0]);
  const lats = positions.map((p) => p[1]);
  const round = (x) => x.toFixed(4);
  return `${geometry.type}, ${polygons.length} polygon(s), ${positions.length} positions; longitude ${round(Math.min(...lons))} to ${round(Math.max(...lons))}, latitude ${round(Math.min(...lats))} to ${round(Math.max(...lats))}`;
}

function areasTab(site, base, intervention, rerender) {
  const facts = h(
    'dl',
    { class: 'facts', 'data-test': 'areas' },
    h('dt', {}, 'Target area'),
    h('dd', { 'data-test': 'target-area' }, describeArea(intervention.targetArea)),
    h('dt', {}, 'Comparison area'),
    h('dd', {}, describeArea(intervention.comparisonArea)),
    h('dt', {}, 'Displacement buffer'),
    h('dd', {}, describeArea(intervention.bufferArea)),
    h('dt', {}, 'Why these areas'),
    h('dd', {}, intervention.rationale || '—'),
  );
  if (!holdsAt(site, 'police', 'research', 'poc', 'site-admin')) return h('section', { class: 'card' }, facts);
  const areas = {};
  const field = (key, label, current) => {
    areas[key] = h('textarea', { id: `area-${key}`, rows: 4, placeholder: 'GeoJSON Polygon or MultiPolygon (or a Feature of one), WGS84 longitude/latitude' });
    areas[key].value = current || '';
    const file = h('input', { type: 'file', accept: '.geojson,.json,application/geo+json,application/json', 'aria-label': `${label} file` });
    file.addEventListener('change', async () => {
      if (file.files.length) areas[key].value = await file.files[0].text();
    });
    return h('div', {}, h('label', { for: `area-${key}` }, label), areas[key], file);
  };
  const rationale = h('textarea', { id: 'area-rationale', rows: 2 });
  rationale.value = intervention.rationale || '';
  const save = h('button', { type: 'submit' }, 'Save the areas');
  const form = h(
    'form',
    { class: 'card', 'data-test': 'areas-form', 'aria-label': 'Areas' },
    h('h3', {}, 'Upload or paste the areas (Step 1; drawing them on a map comes with the mapping plug-in)'),
    field('target', 'Target area', intervention.targetArea),
    field('comparison', 'Comparison area', intervention.comparisonArea),
    field('buffer', 'Displacement buffer (optional)', intervention.bufferArea),
    h('label', { for: 'area-rationale' }, 'Why these areas'),
    rationale,
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(() => api('PUT', `${base}/areas`, { target: areas.target.value, comparison: areas.comparison.value, buffer: areas.buffer.value, rationale: rationale.value }), 'Areas saved.', rerender);
  });
  return h('section', {}, h('div', { class: 'card' }, facts), form);
}

async function personsTab(site, base, rerender, zone) {
  const { persons } = await api('GET', `${base}/persons`);
  const intelligence = holdsAt(site, ...INTELLIGENCE);
  const deciders = holdsAt(site, ...DECIDERS);
  const rows = persons.map((p) => {
    const i = p.intelligence;
    const decide = deciders
      ? form(`decide-${p.id}`, null, [['decision', 'Decision', 'select', [['', 'choose…'], ['call-in', 'call-in'], ['prosecute-now', 'prosecute now'], ['excluded', 'excluded'], ['undecided', 'undecided']]], ['criteria', 'Criteria']], 'Decide', async (v) => {
          await api('PUT', `${base}/persons/${p.id}/decision`, v);
          await rerender();
          notice(`Decision recorded for ${p.name}.`, true);
        })
      : null;
    return h(
      'tr',
      { 'data-person': p.id },
      h('td', {}, personLink(site, base.split('/').pop(), p, p.name)),
      h('td', { 'data-test': 'decision' }, kebabLabel(p.decision)),
      intelligence ? h('td', {}, i ? `${i.level}, ${i.active ? 'active' : 'not active'}${i.violenceHistory ? ', violence history' : ''}` : '') : null,
      intelligence ? h('td', {}, i ? i.pendingCharges : '') : null,
      intelligence ? h('td', {}, i ? i.decisionCriteria : '') : null,
      h('td', {}, p.callIn ? `${p.callIn.invited ? 'invited' : 'not invited'}${p.callIn.attended ? ', came' : ''}` : ''),
      h('td', {}, decide),
    );
  });
  const headers = intelligence ? ['Name', 'Decision', 'Level', 'Pending charges', 'Criteria', 'Call-in', ''] : ['Name', 'Decision', 'Call-in', ''];
  const enter = intelligence
    ? form(
        'new-person',
        'Enter a person (28 CFR Part 23: justification and source required; reviewed within five years)',
        [['name', 'Name'], ['alias', 'Alias'], ['level', 'Level', 'select', ['street', 'mid']], ['justification', 'Justification (reasonable suspicion)', 'textarea'], ['source', 'Source']],
        'Enter',
        async (v) => {
          await api('POST', `${base}/persons`, v);
          await rerender();
          notice(`${v.name} entered on the dealer list.`, true);
        },
      )
    : null;
  // 28 CFR 23.20(g): the list leaves the platform only as a copy given to someone, for a reason
  const giveOut = intelligence ? releaseForm('give-out-list', 'Give out the dealer list (CSV)', `${base}/dealer-list.csv`, 'dealer-list.csv', {}, rerender) : null;
  return h('section', {}, h('p', { class: 'muted' }, intelligence ? 'Police intelligence: shown to police, prosecutors and the site administrator only. Every view is recorded.' : 'Call-in candidates only.'), intelligence ? await reviewsDueSection(site) : null, table('persons', headers, rows), enter, giveOut, intelligence ? await addressesSection(base, rerender) : null, intelligence ? await surveysSection(base, rerender) : null, intelligence ? await linkChartSection(site, base, rerender) : null, intelligence ? await oversightSection(site, zone) : null);
}

// Step 2: who was surveyed (officers, residents, the vice unit), by which source, and what they offered
async function surveysSection(base, rerender) {
  const { surveys } = await api('GET', `${base}/surveys`);
  return h('section', { 'data-test': 'surveys' },
    h('h2', {}, 'Surveys (Step 2)'),
    surveys.length
      ? table('surveys-list', ['On', 'Who was surveyed', 'Source', 'Names offered', 'Addresses offered', 'By'], surveys.map((v) => h('tr', {}, h('td', {}, v.surveyedOn), h('td', {}, v.surveyed), h('td', {}, v.source), h('td', { class: 'lines' }, v.namesOffered), h('td', { class: 'lines' }, v.addressesOffered), h('td', {}, v.recordedBy))))
      : h('p', { class: 'muted' }, 'No survey recorded.'),
    h('p', { class: 'muted' }, 'Names offered are leads: a person goes on the dealer list with a justification and source of their own.'),
    form('new-survey', 'Record a survey', [['surveyedOn', 'On', 'date'], ['surveyed', 'Who was surveyed'], ['source', 'Source (patrol, vice unit, residents…)'], ['namesOffered', 'Names offered (one a line)', 'textarea'], ['addressesOffered', 'Addresses offered (one a line)', 'textarea']], 'Record', async (v) => {
      await api('POST', `${base}/surveys`, v);
      await rerender();
      notice('Survey recorded.', true);
    }));
}

// Step 3: the link chart, persons on the left and key addresses on the right, a line for each link
async function linkChartSection(site, base, rerender) {
  const chart = await api('GET', `${base}/link-chart`);
  const out = [h('h2', {}, 'Link chart (Step 3)')];
  if (!chart.links.length) out.push(h('p', { class: 'muted' }, 'No person is linked to a key address yet: link them on a person\'s page.'));
  else out.push(linkDiagram(chart));
  out.push(chart.links.length ? table('links', ['Person', 'Address', 'How'], chart.links.map((l) => h('tr', {}, h('td', {}, (chart.persons.find((p) => p.id === l.person) || {}).name || `#${l.person}`), h('td', {}, (chart.addresses.find((a) => a.id === l.address) || {}).address || `#${l.address}`), h('td', {}, l.relation)))) : null);
  return h('section', { 'data-test': 'link-chart' }, out);
}

function linkDiagram(chart) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = (tag, attrs, text) => {
    const el = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const persons = chart.persons.filter((p) => chart.links.some((l) => l.person === p.id));
  const addresses = chart.addresses.filter((a) => chart.links.some((l) => l.address === a.id));
  const row = 28;
  const height = Math.max(persons.length, addresses.length) * row + 20;
  const root = svg('svg', { viewBox: `0 0 640 ${height}`, width: '100%', role: 'img', 'aria-label': `Link chart: ${chart.links.length} link(s) between ${persons.length} person(s) and ${addresses.length} address(es); the table below lists them` });
  const py = Object.fromEntries(persons.map((p, n) => [p.id, 20 + n * row]));
  const ay = Object.fromEntries(addresses.map((a, n) => [a.id, 20 + n * row]));
  chart.links.forEach((l) => root.append(svg('line', { x1: 210, y1: py[l.person], x2: 430, y2: ay[l.address], stroke: '#555', 'stroke-width': 1.5 })));
  persons.forEach((p) => root.append(svg('circle', { cx: 210, cy: py[p.id], r: 5, fill: '#1f618d' }), svg('text', { x: 200, y: py[p.id] + 4, 'text-anchor': 'end', 'font-size': 13 }, p.name)));
  addresses.forEach((a) => root.append(svg('rect', { x: 425, y: ay[a.id] - 5, width: 10, height: 10, fill: '#b9770e' }), svg('text', { x: 442, y: ay[a.id] + 4, 'font-size': 13 }, a.address)));
  return root;
}

// Key addresses of the market (Step 3: the incident review's places), for police, prosecutors and the site administrator
async function addressesSection(base, rerender) {
  const { addresses } = await api('GET', `${base}/addresses`);
  return h('section', { 'data-test': 'addresses' },
    h('h2', {}, 'Key addresses (Step 3)'),
    addresses.length
      ? table('addresses-list', ['Address', 'Note', 'By'], addresses.map((a) => h('tr', {}, h('td', {}, a.address), h('td', {}, a.note), h('td', {}, a.recordedBy))))
      : h('p', { class: 'muted' }, 'No key address recorded.'),
    form('new-address', 'Add a key address', [['address', 'Address'], ['note', 'Why it matters']], 'Add', async (v) => {
      await api('POST', `${base}/addresses`, v);
      await rerender();
      notice('Address added.', true);
    }));
}

async function casesTab(site, base, rerender) {
  const { persons } = await api('GET', `${base}/persons`);
  const cases = persons.flatMap((p) => (p.intelligence ? p.intelligence.bankedCases.map((c) => ({ ...c, name: p.name })) : []));
  const deciders = holdsAt(site, ...DECIDERS);
  const rows = cases.map((c) =>
    h(
      'tr',
      { 'data-case': c.id },
      h('td', {}, c.name),
      h('td', {}, String(c.buys)),
      h('td', {}, c.evidence),
      h('td', {}, c.warrant),
      h('td', {}, c.deadline),
      h('td', {}, badge(c.status)),
      h(
        'td',
        {},
        deciders && c.status !== 'closed'
          ? form(`case-${c.id}`, null, [['status', 'Change to', 'select', c.status === 'banked' ? ['activated', 'closed'] : ['closed']], ['reason', 'Reason']], 'Change', async (v) => {
              await api('PUT', `${base}/banked-cases/${c.id}/status`, v);
              await rerender();
              notice('Banked case changed.', true);
            })
          : c.changes.map((ch) => h('div', { class: 'muted' }, `${ch.from} → ${ch.to} by ${ch.by}: ${ch.reason}`)),
      ),
    ),
  );
  const candidates = persons.filter((p) => p.decision === 'call-in');
  const bank = deciders && candidates.length
    ? form('new-case', 'Bank a case (Step 4)', [['person', 'Candidate', 'select', candidates.map((p) => [String(p.id), p.name])], ['buys', 'Buys', 'number'], ['evidence', 'Evidence references'], ['warrant', 'Unsigned warrant'], ['deadline', 'Deadline', 'date']], 'Bank', async (v) => {
        const { person, ...rest } = v;
        await api('POST', `${base}/persons/${person}/banked-cases`, { ...rest, buys: Number(rest.buys || 0) });
        await rerender();
        notice('Case banked.', true);
      })
    : null;
  return h('section', {}, table('cases', ['Candidate', 'Buys', 'Evidence', 'Warrant', 'Deadline', 'Status', ''], rows), bank);
}

async function callInTab(site, base, rerender) {
  const { callIn } = await api('GET', `${base}/call-in`);
  const planners = holdsAt(site, 'police', 'community', 'poc', 'site-admin');
  const letterWriters = holdsAt(site, 'police', 'poc', 'site-admin');
  const plan = planners
    ? form('call-in-plan', callIn ? 'Change the time and place' : 'Set the time and place (Step 5a)', [['at', 'Date and time', 'datetime-local'], ['place', 'Place'], ['speakers', 'Speakers'], ['providersPresent', 'Service providers present']], 'Save', async (v) => {
        await api('PUT', `${base}/call-in`, v);
        await rerender();
        notice('Call-in planned.', true);
      })
    : null;
  let letters = [];
  let persons = [];
  if (letterWriters || holdsAt(site, 'prosecutor')) letters = (await api('GET', `${base}/letters`)).letters;
  if (letterWriters) persons = (await api('GET', `${base}/persons`)).persons.filter((p) => p.decision === 'call-in');
  const letterOf = (person) => letters.filter((l) => l.person === person).slice(-1)[0];
  const candidateRows = persons.map((p) => {
    const letter = letterOf(p.id);
    return h(
      'tr',
      { 'data-candidate': p.id },
      h('td', {}, p.name),
      h(
        'td',
        {},
        letter
          ? [h('a', { href: `/api/v1${base}/letters/${letter.id}/html`, target: '_blank', rel: 'noopener', 'data-test': 'letter-html' }, 'letter'), ' · ', h('details', { class: 'give-out', 'data-test': 'letter-pdf' }, h('summary', {}, 'PDF'), releaseForm(`letter-pdf-${letter.id}`, null, `${base}/letters/${letter.id}/pdf`, `letter-${letter.id}.pdf`, { recipient: `${p.name}, by mail`, reason: 'Step 6a: the invitation to the call-in' }))]
          : h('button', { type: 'button', class: 'secondary', 'data-test': 'generate-letter', onclick: () => act(() => api('POST', `${base}/persons/${p.id}/letters`), `Letter generated for ${p.name}.`, rerender) }, 'Generate letter'),
      ),
      h('td', {}, letter && letter.sentOn ? `sent ${letter.sentOn}` : letter ? h('button', { type: 'button', class: 'secondary', 'data-test': 'mark-sent', onclick: () => act(() => api('PUT', `${base}/letters/${letter.id}/sent`, {}), 'Letter marked sent.', rerender) }, 'Mark sent') : ''),
    );
  });
  const invited = callIn
    ? callIn.invited.map((i) =>
        h(
          'tr',
          { 'data-invitee': i.person },
          h('td', {}, personLink(site, base.split('/').pop(), i.person, i.name)),
          h('td', {}, h('label', {}, h('input', { type: 'checkbox', checked: i.attended, 'data-test': 'attended', onchange: (e) => act(() => api('PUT', `${base}/call-in/attendance/${i.person}`, { attended: e.target.checked }), `Attendance of ${i.name} recorded.`, rerender) }), ' came')),
        ),
      )
    : [];
  // what to do next on this page, in the order the call-in is prepared and held
  const unsent = persons.filter((p) => !(letterOf(p.id) && letterOf(p.id).sentOn));
  const next = !callIn
    ? 'set the call-in\'s time and place (Step 5a).'
    : callIn.held
      ? 'give each candidate who came a deadline, and record whether it was met (Step 7b).'
      : new Set(callIn.services.map((s) => s.category)).size < CATEGORIES.length
        ? 'arrange a provider for each kind of service, or mark it not offered (Step 7a).'
        : letterWriters && unsent.length
          ? `generate and mail the letters: ${unsent.length} candidate(s) without a letter mailed (Step 6a).`
          : 'on the day, record who came and that the call-in was held (Step 7b).';
  return h(
    'section',
    {},
    h('p', { class: 'card', 'data-test': 'next' }, h('strong', {}, 'Next: '), next),
    callIn
      ? h('div', { class: 'card', 'data-test': 'call-in' }, h('h2', {}, callIn.held ? 'The call-in was held' : 'The call-in'), h('p', {}, `${callIn.at.replace('T', ' ')} at ${callIn.place}. ${callIn.attended} of ${callIn.invited.length} invited came.`), callIn.speakers ? h('p', {}, `Speakers: ${callIn.speakers}`) : null, callIn.providersPresent ? h('p', {}, `Providers: ${callIn.providersPresent}`) : null, callIn.held ? null : h('button', { type: 'button', 'data-test': 'call-in-held', onclick: () => act(() => api('POST', `${base}/call-in/held`), 'Call-in recorded as held.', rerender) }, 'Record the call-in as held'))
      : h('p', { class: 'muted' }, 'The call-in has no time and place yet.'),
    plan,
    callIn ? await servicesAtCallIn(site, base, callIn, rerender) : null,
    callIn ? await referralsAtCallIn(site, base, callIn, rerender) : null,
    persons.length ? [h('h2', {}, 'Letters to candidates (Step 6a)'), table('letters', ['Candidate', 'Letter', 'Mailed'], candidateRows)] : null,
    letterWriters ? await letterheadForm(site, rerender) : null,
    callIn && holdsAt(site, 'police', 'prosecutor', 'poc', 'site-admin') ? await deadlinesSection(site, base, callIn, letterWriters, rerender) : null,
    invited.length ? [h('h2', {}, 'Attendance (Step 7b)'), table('attendance', ['Invited', 'Attendance'], invited)] : null,
  );
}

// Step 7b: the deadline each candidate is given at the call-in, and whether it was met; overdue ones stand out
async function deadlinesSection(site, base, callIn, writers, rerender) {
  const { deadlines } = await api('GET', `${base}/call-in/deadlines`);
  const status = (d) => (d.check ? `${d.check.outcome} on ${d.check.on}${d.check.note ? `: ${d.check.note}` : ''} (${d.check.by})` : d.overdue ? 'overdue: say whether it was met' : 'open');
  const checkForm = (d) => {
    const outcome = h('select', { 'aria-label': 'met or missed', 'data-test': `deadline-${d.id}-outcome` }, [['met', 'met'], ['missed', 'missed']].map(([v, l]) => h('option', { value: v }, l)));
    const note = h('input', { 'aria-label': 'note', placeholder: 'note', 'data-test': `deadline-${d.id}-note` });
    const f = h('form', { class: 'inline', 'data-test': `deadline-${d.id}` }, outcome, note, h('button', { type: 'submit', class: 'secondary' }, 'Record'));
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => api('POST', `${base}/call-in/deadlines/${d.id}/check`, { outcome: outcome.value, note: note.value }), `Deadline ${outcome.value}.`, rerender);
    });
    return f;
  };
  const rows = deadlines.map((d) => h('tr', { 'data-deadline': d.id, class: d.overdue ? 'warning' : '' }, h('td', {}, d.personName), h('td', {}, d.due), h('td', {}, d.what), h('td', { 'data-test': 'deadline-status' }, status(d)), h('td', {}, writers && !d.check ? checkForm(d) : '')));
  const invitees = callIn.invited;
  return h('section', { 'data-test': 'deadlines' },
    h('h2', {}, 'Deadlines given at the call-in (Step 7b)'),
    deadlines.length ? table('deadlines-list', ['Candidate', 'Due', 'What', 'Status', ''], rows) : h('p', { class: 'muted' }, 'No deadline given yet.'),
    writers && invitees.length ? form('new-deadline', 'Give a deadline', [['person', 'Candidate', 'select', invitees.map((i) => [String(i.person), i.name])], ['due', 'Due', 'date'], ['what', 'What by then (e.g. enrolled in job training)']], 'Record', async (v) => {
      await api('POST', `${base}/call-in/deadlines`, { person: Number(v.person), due: v.due, what: v.what });
      await rerender();
      notice('Deadline recorded.', true);
    }) : null);
}

// Who signs the letters and where they come from: the site's letterhead, kept for every later letter
async function letterheadForm(site, rerender) {
  const { letterhead } = await api('GET', `/sites/${site}/letterhead`);
  const current = letterhead || { chief: '', title: '', department: '', mailingAddress: '' };
  const field = (name, label, rows) => {
    const input = rows ? h('textarea', { id: `letterhead-${name}`, rows }) : h('input', { id: `letterhead-${name}` });
    input.value = current[name] || '';
    return [input, h('div', {}, h('label', { for: `letterhead-${name}` }, label), input)];
  };
  const [chief, chiefRow] = field('chief', "The chief's name, as signed");
  const [title, titleRow] = field('title', 'Signature block (one line each)', 2);
  const [department, departmentRow] = field('department', 'Department (at the head of the letter)');
  const [address, addressRow] = field('mailingAddress', 'Mailing address (one line each)', 3);
  const f = h('form', { class: 'card', 'data-test': 'letterhead' }, h('h3', {}, letterhead ? 'Letterhead' : 'Letterhead: not set yet (letters are signed "Chief of Police")'),
    h('div', { class: 'grid' }, chiefRow, titleRow, departmentRow, addressRow),
    h('p', { class: 'muted' }, 'Letters made before a change keep the letterhead they were made with.'),
    await letterTemplateNote(site),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save the letterhead')));
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    act(() => api('PUT', `/sites/${site}/letterhead`, { chief: chief.value, title: title.value, department: department.value, mailingAddress: address.value }), 'Letterhead saved.', rerender);
  });
  return f;
}

// Which wording the letters take: the site's copy of the letter template it adopted last, or the platform's own
async function letterTemplateNote(site) {
  const { materials } = await api('GET', `/sites/${site}/materials`).catch(() => ({ materials: [] }));
  const used = materials.find((m) => m.state.usedForLetters);
  const link = h('a', { href: `#/sites/${site}/materials${used ? `/${used.material.id}` : ''}` }, used ? used.material.title : 'the materials page');
  return h('p', { 'data-test': 'letter-template' }, used
    ? ['The letters\' wording: the site\'s copy ', String(used.state.copy.number), ' of ', link, ` (national v${used.state.copy.basedOn}).`]
    : ['The letters\' wording: the platform\'s standard letter. A letter template adopted on ', link, ' replaces it.']);
}

// Step 7a: for each of the six kinds of service, the provider who will be present (chosen from the site's directory or
// named), or the kind marked not offered and why; the call-in waits until every kind is one or the other
async function servicesAtCallIn(site, base, callIn, rerender) {
  const arrangers = holdsAt(site, 'services', 'community', 'poc', 'site-admin');
  const byCategory = Object.fromEntries(callIn.services.map((s) => [s.category, s]));
  const directory = await api('GET', `/sites/${site}/directory?limit=500`).then((r) => r.services).catch(() => []);
  const rows = CATEGORIES.map(([id, label]) => {
    const now = byCategory[id];
    const state = now ? (now.offered ? `${now.provider}${now.note ? ' — ' + now.note : ''}` : `not offered: ${now.note}`) : 'not arranged yet';
    if (!arrangers) return h('tr', { 'data-test': `service-${id}` }, h('td', {}, label), h('td', {}, state));
    const choices = h('datalist', { id: `providers-${id}` }, ...directory.filter((s) => s.categories.includes(id)).map((s) => h('option', { value: `${s.organization.name || s.name} (${s.name})` })));
    const provider = h('input', { list: `providers-${id}`, value: now && now.offered ? now.provider : '', placeholder: 'provider present', 'data-test': `service-provider-${id}`, 'aria-label': `${label}: provider` });
    const offered = h('input', { type: 'checkbox', checked: !now || now.offered, 'data-test': `service-offered-${id}`, 'aria-label': `${label}: offered` });
    const note = h('input', { value: now ? now.note : '', placeholder: 'what is agreed, or why not offered', 'data-test': `service-note-${id}`, 'aria-label': `${label}: note` });
    const save = h('button', { type: 'button', class: 'secondary', 'data-test': `service-save-${id}`, onclick: () => {
      const chosen = directory.find((s) => `${s.organization.name || s.name} (${s.name})` === provider.value);
      return act(() => api('PUT', `${base}/call-in/services/${id}`, { offered: offered.checked, provider: provider.value, serviceId: chosen ? chosen.id : '', note: note.value }), `${label}: saved.`, rerender);
    } }, 'Save');
    return h('tr', { 'data-test': `service-${id}` }, h('td', {}, label), h('td', {}, state), h('td', {}, h('label', {}, offered, ' offered')), h('td', {}, provider, choices), h('td', {}, note), h('td', {}, save));
  });
  const open = CATEGORIES.filter(([id]) => !byCategory[id]).length;
  return [h('h2', {}, 'Services at the call-in (Step 7a)'),
    h('p', { class: open ? 'warning' : 'muted', 'data-test': 'services-open' }, open ? `${open} of 6 kinds of service still to arrange or mark not offered: the call-in waits for them.` : 'Every kind of service is arranged or marked not offered.'),
    table('call-in-services', arrangers ? ['Service', 'Now', '', 'Provider', 'Note', ''] : ['Service', 'Now'], rows)];
}

// the intervention page has read the site already: its time zone is passed, not fetched again
async function communityTab(site, base, rerender, zone) {
  const [{ meetings }, calls, { newsletters }] = await Promise.all([api('GET', `${base}/meetings`), api('GET', `${base}/resident-calls`), api('GET', `${base}/newsletters`)]);
  // an answer is recorded once, with who gave it; times are typed and read at the site
  const answerForm = (c) => {
    const at = h('input', { type: 'datetime-local', id: `answer-${c.id}-at`, 'aria-label': `Answered at (${zone})`, 'data-test': `answer-${c.id}-at` });
    const outcome = h('input', { id: `answer-${c.id}-outcome`, 'aria-label': 'What was done', placeholder: 'what was done', 'data-test': `answer-${c.id}-outcome` });
    const f = h('form', { class: 'inline', 'data-test': `answer-${c.id}` }, at, outcome, h('button', { type: 'submit', class: 'secondary' }, 'Answered'));
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => api('PUT', `${base}/resident-calls/${c.id}/answer`, { answeredAt: at.value, outcome: outcome.value }), 'Answer recorded.', rerender);
    });
    return f;
  };
  const writers = holdsAt(site, 'community', 'police', 'poc', 'site-admin', 'services');
  const r = calls.responsiveness;
  return h(
    'section',
    {},
    h('h2', {}, 'Meetings, briefings and reconciliation (Step 5)'),
    table('meetings', ['When', 'Kind', 'With', 'Where', 'Attendance'], meetings.map((m) => h('tr', {}, h('td', {}, m.heldOn), h('td', {}, kebabLabel(m.kind)), h('td', {}, m.audience), h('td', {}, m.place), h('td', {}, String(m.attendance))))),
    writers ? form('new-meeting', 'Record a meeting', [['kind', 'Kind', 'select', ['community-meeting', 'briefing', 'reconciliation']], ['heldOn', 'Held on', 'date'], ['audience', 'With whom'], ['place', 'Where'], ['attendance', 'Attendance', 'number']], 'Record', async (v) => {
      await api('POST', `${base}/meetings`, { ...v, attendance: Number(v.attendance || 0) });
      await rerender();
      notice('Meeting recorded.', true);
    }) : null,
    h('h2', {}, "Residents' calls (Step 8)"),
    h('p', { 'data-test': 'responsiveness' }, `${r.calls} call(s), ${r.answered} answered${r.medianMinutes !== undefined ? `; median ${r.medianMinutes} min, longest ${r.longestMinutes} min to answer` : ''}.`),
    h('p', { class: 'muted' }, `Times at the site (${zone}).`),
    table('resident-calls', ['Received', 'About', 'Answered', 'Outcome'], calls.calls.map((c) => h('tr', { 'data-call': c.id }, h('td', {}, atZone(c.receivedAt, zone)), h('td', {}, c.about), h('td', {}, c.answeredAt ? `${atZone(c.answeredAt, zone)} (${c.minutesToAnswer} min)${c.answeredBy ? `, by ${c.answeredBy}` : ''}` : writers ? answerForm(c) : 'not yet'), h('td', {}, c.outcome)))),
    writers ? form('new-call', "Record a resident's call", [['receivedAt', `Received (${zone})`, 'datetime-local'], ['about', 'About']], 'Record', async (v) => {
      await api('POST', `${base}/resident-calls`, { receivedAt: v.receivedAt, about: v.about });
      await rerender();
      notice('Call recorded.', true);
    }) : null,
    h('h2', {}, 'Newsletters (Step 9)'),
    table('newsletters', ['Published', 'Title'], newsletters.map((n) => h('tr', {}, h('td', {}, n.publishedOn), h('td', {}, n.title)))),
    writers ? form('new-newsletter', 'Record a newsletter', [['publishedOn', 'Published on', 'date'], ['title', 'Title'], ['notes', 'What it said', 'textarea']], 'Record', async (v) => {
      await api('POST', `${base}/newsletters`, v);
      await rerender();
      notice('Newsletter recorded.', true);
    }) : null,
  );
}

async function timelineTab(base, zone) {
  const { timeline } = await api('GET', `${base}/timeline`);
  // in the order things happened; an event known to the day shows its day, and an entry made later says when
  const entered = (e) => (Math.abs(new Date(e.recordedAt) - new Date(e.at)) > 60000 && (!e.on || atZone(e.recordedAt, zone).slice(0, 10) !== e.on) ? atZone(e.recordedAt, zone) : '');
  return table('timeline', [`When (${zone})`, 'Step', 'What', 'By', 'Entered'], timeline.map((e) => h('tr', {}, h('td', {}, e.on || atZone(e.at, zone)), h('td', {}, e.step), h('td', {}, e.what), h('td', {}, e.by), h('td', { class: 'muted' }, entered(e)))));
}

// --- the team -----------------------------------------------------------------------------------------

export async function teamPage(site) {
  const [team, { site: where }] = await Promise.all([api('GET', `/sites/${site}/team`), api('GET', `/sites/${site}`)]);
  const leave = (m) => {
    const today = todayAt(where.timeZone);
    if (!window.confirm(`${m.name} left the team today, ${today}? Their time on the team ends on that day.`)) return;
    act(() => api('PATCH', `/sites/${site}/team/members/${m.id}`, { endedOn: today }), `${m.name} left the team.`, rerender);
  };
  const rerender = () => teamPage(site);
  const managers = holdsAt(site, 'poc', 'site-admin');
  const r = team.readiness;
  const members = team.members.map((m) =>
    h(
      'tr',
      { 'data-member': m.id },
      h('td', {}, m.name, m.pointOfContact ? h('span', { class: 'pill' }, 'point of contact') : null),
      h('td', {}, m.agency),
      h('td', {}, kebabLabel(m.role)),
      h('td', {}, `${m.startedOn}${m.endedOn ? ` – ${m.endedOn}` : ''}`),
      h('td', {}, m.trainings.map((t) => h('span', { class: 'pill' }, `${kebabLabel(t.training)} ${t.attendedOn}`))),
      h('td', {}, managers && !m.endedOn ? h('button', { type: 'button', class: 'secondary', 'data-test': 'left-team', onclick: () => leave(m) }, 'Left the team') : ''),
    ),
  );
  const swot = [['strength', 'Strengths'], ['weakness', 'Weaknesses'], ['opportunity', 'Opportunities'], ['threat', 'Threats']].map(([kind, heading]) => h('div', { class: 'card' }, h('h3', {}, heading), h('ul', {}, team.swot.filter((e) => e.kind === kind).map((e) => h('li', {}, e.text)))));
  show(
    h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')),
    h('h1', {}, 'Team'),
    h('div', { class: r.ready ? 'card ready' : 'card' , 'data-test': 'readiness' }, h('h2', {}, r.ready ? 'Ready' : 'Not ready yet'), r.missing.length ? h('ul', {}, r.missing.map((m) => h('li', {}, m))) : h('p', {}, `Signed off by ${r.signOff.leader} on ${r.signOff.signedOn}.`)),
    table('members', ['Name', 'Agency', 'Role', 'On the team', 'Trainings', ''], members),
    managers ? form('new-member', 'Add a member', [['name', 'Name'], ['agency', 'Agency'], ['role', 'Role', 'select', TEAM_ROLES], ['startedOn', 'Started on', 'date'], ['pointOfContact', 'Point of contact', 'checkbox']], 'Add', async (v) => {
      await api('POST', `/sites/${site}/team/members`, v);
      await rerender();
      notice(`${v.name} added to the team.`, true);
    }) : null,
    managers ? form('signoff', 'Leadership sign-off', [['leader', 'Leader (title)'], ['signedOn', 'Signed on', 'date']], 'Record', async (v) => {
      await api('POST', `/sites/${site}/team/signoffs`, v);
      await rerender();
      notice('Sign-off recorded.', true);
    }) : null,
    h('h2', {}, 'SWOT'),
    h('div', { class: 'cols', 'data-test': 'swot' }, swot),
    form('new-swot', 'Add to the SWOT', [['kind', 'Kind', 'select', ['strength', 'weakness', 'opportunity', 'threat']], ['text', 'Entry']], 'Add', async (v) => {
      await api('POST', `/sites/${site}/team/swot`, v);
      await rerender();
      notice('SWOT entry added.', true);
    }),
    holdsAt(site, 'poc', 'site-admin', 'tta-admin', 'tta-staff') && team.members.some((m) => !m.endedOn) ? form('training', 'A member attended a training', [['member', 'Member', 'select', team.members.filter((m) => !m.endedOn).map((m) => [String(m.id), m.name])], ['training', 'Training', 'select', TRAININGS], ['attendedOn', 'Attended on', 'date']], 'Record', async (v) => {
      await api('POST', `/sites/${site}/team/members/${v.member}/trainings`, { training: v.training, attendedOn: v.attendedOn });
      await rerender();
      notice('Training recorded.', true);
    }) : null,
    h('h2', {}, 'TTA site visits'),
    table('visits', ['When', 'Visitor', 'Purpose'], team.visits.map((v) => h('tr', {}, h('td', {}, v.visitedOn), h('td', {}, v.visitor), h('td', {}, v.purpose)))),
    holdsAt(site, 'tta-admin', 'tta-staff') ? form('visit', 'Record a site visit', [['visitedOn', 'Visited on', 'date'], ['visitor', 'Visitor'], ['purpose', 'Purpose']], 'Record', async (v) => {
      await api('POST', `/sites/${site}/team/visits`, v);
      await rerender();
      notice('Site visit recorded.', true);
    }) : null,
  );
}

const TRAININGS = [['introductory', 'Introductory meeting'], ['first', 'First training'], ['second', 'Second training'], ['third', 'Third training']];

// --- the TTA overview ---------------------------------------------------------------------------------

export async function overviewPage() {
  const [{ sites }, { openBySite }] = await Promise.all([api('GET', '/overview'), api('GET', '/alerts/open')]);
  show(
    h('h1', {}, 'All sites at a glance'),
    h('p', { class: 'muted' }, 'Progress, readiness and fidelity of every site, and whether a closed market\'s activity has returned; no person is named here.'),
    table(
      'overview',
      ['Site', 'Cohort', 'Intervention', 'Current step', 'Fidelity', 'Team ready', 'Trainings', 'Site visits', 'Market watch'],
      sites.map((s) =>
        h(
          'tr',
          { 'data-site': s.site },
          h('td', {}, h('a', { href: `#/sites/${s.site}` }, s.name)),
          h('td', {}, s.cohort),
          h('td', {}, s.intervention ? s.intervention.name : 'none yet'),
          h('td', { 'data-test': 'current-step' }, s.currentStep || '—'),
          h('td', { 'data-test': 'fidelity' }, `${s.overallFidelity}%`),
          h('td', {}, s.readiness.ready ? 'yes' : `no: ${s.readiness.missing.join('; ')}`),
          h('td', {}, String(s.trainingsAttended)),
          h('td', {}, String(s.siteVisits)),
          h('td', { 'data-test': 'open-alerts', class: openBySite[s.site] ? 'warning' : '' }, openBySite[s.site] ? `${openBySite[s.site]} open alert(s)` : 'quiet'),
        ),
      ),
    ),
    h('h2', {}, 'Every intervention'),
    h('p', { class: 'muted' }, 'A site runs several interventions over the years: each with where it stands, the newest first.'),
    table('every-intervention', ['Site', 'Intervention', 'Started', 'Current step', 'Fidelity'], sites.flatMap((s) => s.all.map((i) =>
      h('tr', { 'data-site': s.site, 'data-intervention': i.id }, h('td', {}, s.name), h('td', {}, h('a', { href: `#/sites/${s.site}/interventions/${i.id}` }, i.name)), h('td', {}, i.startedOn), h('td', {}, i.currentStep || 'all steps done'), h('td', {}, `${i.overallFidelity}%`))))),
    await performanceSection(),
  );
}

// The quarter's cross-site measures: aggregates only, every count under five suppressed
async function performanceSection() {
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - 3, 1));
  const input = h('input', { id: 'performance-quarter', value: `${last.getUTCFullYear()}-Q${Math.floor(last.getUTCMonth() / 3) + 1}`, 'data-test': 'performance-quarter', pattern: '\\d{4}-Q[1-4]' });
  const body = h('div', { 'data-test': 'performance' });
  const csv = h('a', { 'data-test': 'performance-csv' }, 'Download the quarter as CSV');
  async function load() {
    csv.href = `/api/v1/performance?quarter=${encodeURIComponent(input.value)}&format=csv`;
    try {
      const q = await api('GET', `/performance?quarter=${encodeURIComponent(input.value)}`);
      body.replaceChildren(table('performance', ['Site', ...q.measures.map((m) => m.label)], q.sites.map((site) =>
        h('tr', { 'data-site': site.site }, h('td', {}, site.name), ...site.values.map((v) => h('td', {}, v.count === undefined ? 'under 5' : String(v.count)))))));
    } catch (error) {
      failed(error);
    }
  }
  const form = h('form', { class: 'card', 'data-test': 'performance-form' },
    h('h2', {}, 'Quarterly performance measures'),
    h('p', { class: 'muted' }, 'Every site side by side for one quarter, in each site\'s time zone: aggregates only, every count under 5 shown as "under 5", no totals, so none can be worked out from the others.'),
    h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'performance-quarter' }, 'Quarter'), input)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show'), csv));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
  return [form, body];
}

export { steps as loadDefinition };
