// An intervention's outcome evaluation (the assessment phase): did crime fall in the target area, relative to the
// comparison area, did it move into the buffer. The site's reporting plug-in computes every figure; this page shows
// them with their intervals, the monthly series and the time-series model as charts (Chart.js), and says plainly
// what could not be computed. Charts and tables come from the same answer, and the CSV from the same request.

import { api, h, failed, table, kebabLabel, holdsAt, act, atZone, addDays } from './lib.js';

const AREAS = { target: 'Target', comparison: 'Comparison', buffer: 'Buffer' };
const COLOURS = { target: '#1f4e79', comparison: '#909497', buffer: '#d98b00' };
const CATEGORIES = [['drug', 'Drugs'], ['weapons', 'Weapons'], ['sex-offense', 'Sex offences'], ['prostitution', 'Prostitution'], ['violent-part-i', 'Violent (Part I)'], ['property-part-i', 'Property (Part I)'], ['disorder', 'Disorder'], ['other', 'Other']];
const MEASURES = { 'drug-incidents': 'Drug incidents', 'drug-calls': 'Drug calls for service', 'residents-calls': "Residents' calls" };
const RECORD_READERS = ['police', 'prosecutor', 'site-admin', 'research', 'poc'];

const pct = (v) => `${v > 0 ? '+' : ''}${v.toFixed(1)}%`;
const num = (v, digits = 2) => (Number.isInteger(v) ? String(v) : v.toFixed(digits));

export async function outcomeTab(site, base, zone) {
  const before = h('input', { id: 'outcome-before', type: 'number', min: '1', max: '60', value: '12', 'data-test': 'outcome-before' });
  const after = h('input', { id: 'outcome-after', type: 'number', min: '1', max: '60', value: '12', 'data-test': 'outcome-after' });
  const boxes = CATEGORIES.map(([id, label]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: id, checked: id === 'drug', 'data-test': `outcome-category-${id}` }), ' ', label));
  const body = h('div', { 'data-test': 'outcome' });
  const csv = h('a', { 'data-test': 'outcome-csv' }, 'Download as CSV');
  // the same report as a page to print or a PDF to send, with its charts and the map of the areas
  const page = h('a', { 'data-test': 'outcome-html', target: '_blank', rel: 'noopener' }, 'Open as a page');
  const pdf = h('a', { 'data-test': 'outcome-pdf', target: '_blank', rel: 'noopener' }, 'PDF');
  // a PDF of many months, made by the platform in the background (on any node) and kept for a month
  const runs = h('section', { 'data-test': 'runs' });
  const runPdf = h('button', { type: 'button', class: 'secondary', 'data-test': 'outcome-pdf-run',
    onclick: () => act(() => api('POST', `/sites/${site}/runs`, { request: `${base}/reports/outcome?${query()}&format=pdf` }), 'The PDF is being made; it is listed below.', () => showRuns(site, base, zone, runs)) }, 'Make the PDF in the background');
  const query = () => {
    const p = new URLSearchParams({ before: before.value, after: after.value });
    const chosen = boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => b.value);
    if (chosen.length) p.set('category', chosen.join(','));
    return p;
  };
  async function load() {
    const p = query();
    csv.href = `/api/v1${base}/reports/outcome?${p}&format=csv`;
    page.href = `/api/v1${base}/reports/outcome?${p}&format=html`;
    pdf.href = `/api/v1${base}/reports/outcome?${p}&format=pdf`;
    try {
      const report = await api('GET', `${base}/reports/outcome?${p}`);
      body.replaceChildren(...render(report));
    } catch (error) {
      failed(error);
      body.replaceChildren(h('p', { class: 'muted' }, 'No report: see the message above.'));
    }
  }
  const form = h('form', { class: 'card', 'data-test': 'outcome-form' },
    h('h2', {}, 'Outcome evaluation'),
    h('p', { class: 'muted' }, 'Records in the target, comparison and buffer areas before and after the call-in, in the site\'s time zone. The window after starts on the call-in\'s day.'),
    h('h3', {}, 'Categories'),
    h('div', { class: 'checks' }, ...boxes),
    h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'outcome-before' }, 'Months before'), before), h('div', {}, h('label', { for: 'outcome-after' }, 'Months after'), after)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'outcome-go' }, 'Compute'), csv, ' · ', page, ' · ', pdf, ' ', runPdf));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
  await showRuns(site, base, zone, runs);
  return h('section', {}, form, runs, body, await watchSection(base));
}

const RUN_STATUS = { QUEUED: 'waiting', RUNNING: 'being made', DONE: 'made', FAILED: 'failed' };

// Your reports of this intervention made in the background, newest first; looked at again while one is being made
async function showRuns(site, base, zone, section) {
  let mine;
  try {
    mine = (await api('GET', `/sites/${site}/runs`)).runs.filter((r) => r.request.startsWith(`${base}/reports/`));
  } catch (error) {
    section.replaceChildren();
    return;
  }
  if (!mine.length) {
    section.replaceChildren();
    return;
  }
  const rows = mine.slice(0, 10).map((r) => h('tr', { 'data-run': r.id },
    h('td', {}, atZone(r.requestedAt, zone)),
    h('td', {}, new URLSearchParams(r.request.split('?')[1] || '').get('format') || 'json'),
    h('td', { 'data-test': 'run-status' }, RUN_STATUS[r.status] + (r.attempts > 1 ? ` (started ${r.attempts} times: a node went away)` : ''), r.problem ? `: ${r.problem}` : ''),
    h('td', {}, r.status === 'DONE' && r.kept
      ? h('a', { href: `/api/v1/sites/${site}/runs/${r.id}/result`, download: r.fileName, 'data-test': 'run-result' }, `${r.fileName} (${Math.max(1, Math.round(r.size / 1024))} KiB)`)
      : r.status === 'DONE' ? 'no longer kept (30 days)' : '')));
  section.replaceChildren(h('h3', {}, 'Made in the background'), table('runs', ['Asked for', 'Format', 'Status', 'File'], rows));
  if (mine.some((r) => r.status === 'QUEUED' || r.status === 'RUNNING')) {
    setTimeout(() => { if (section.isConnected) showRuns(site, base, zone, section); }, 2000);
  }
}

// Keeping the market closed: the weeks since the call-in against the level of its first weeks
async function watchSection(base) {
  let watch;
  try {
    watch = await api('GET', `${base}/reports/watch`);
  } catch (error) {
    return null;
  }
  const out = [h('h2', {}, 'Keeping the market closed')];
  out.push(h('p', { class: 'muted' }, `Each week since the call-in against the target area's own level in its first ${watch.baselineWeeks} weeks; a week beyond that level with a chance under ${watch.alpha * 100}% is marked, and the platform raises an alert on the site page.`));
  if (watch.notComputed.length) out.push(h('ul', { class: 'items', 'data-test': 'watch-notes' }, watch.notComputed.map((n) => h('li', {}, n))));
  for (const m of watch.measures) {
    if (!m.weeks.length) continue;
    out.push(chart(`watch-${m.measure}`, {
      type: 'bar',
      data: {
        labels: m.weeks.map((w) => w.from),
        datasets: [
          { label: MEASURES[m.measure], data: m.weeks.map((w) => w.count), backgroundColor: m.weeks.map((w) => (w.exceeds ? '#a4262c' : w.baseline ? '#909497' : '#1f4e79')) },
          { type: 'line', label: `Level after the call-in (${num(m.expectedPerWeek)} a week)`, data: m.weeks.map(() => m.expectedPerWeek), borderColor: '#d98b00', pointRadius: 0 },
        ],
      },
      options: { animation: false, plugins: { title: { display: true, text: `${MEASURES[m.measure]} a week (grey: the level's weeks; red: beyond chance)` } }, scales: { y: { beginAtZero: true } } },
    }));
  }
  return h('section', { 'data-test': 'watch' }, out);
}

// The records behind an alert: its week's records of the measure in the target area (residents' calls are on the
// intervention's Community tab). Dates are the site's days, as the alert's week is.
function behind(site, a) {
  if (a.measure === 'residents-calls') return `#/sites/${site}/interventions/${a.intervention}/community`;
  const p = new URLSearchParams({ intervention: a.intervention, area: 'target', from: a.weekFrom, to: addDays(a.weekFrom, 6), category: 'drug', kind: a.measure === 'drug-calls' ? 'call-for-service' : 'incident' });
  return `#/sites/${site}/records?${p}`;
}

// The site page's alerts: each run of weeks in which a closed market's activity returned, with the team's answer
export function alertsSection(site, alerts) {
  const open = alerts.filter((a) => !a.acknowledged);
  const rows = alerts.slice(0, 20).map((a) => h('tr', { 'data-alert': a.id, class: a.acknowledged ? '' : 'warning' },
    h('td', {}, h('a', { href: `#/sites/${site}/interventions/${a.intervention}/outcome` }, a.interventionName)),
    h('td', {}, MEASURES[a.measure] || a.measure),
    h('td', {}, `week of ${a.weekFrom}`),
    h('td', {}, `${a.observed} against ${num(a.expectedPerWeek)} expected (chance ${a.upperTail < 0.001 ? 'under 0.1%' : `${(a.upperTail * 100).toFixed(1)}%`})`),
    h('td', {}, a.acknowledged ? `acknowledged by ${a.acknowledged.by}: ${a.acknowledged.note}` : acknowledgeForm(site, a)),
    a.measure === 'residents-calls' || holdsAt(site, ...RECORD_READERS) ? h('td', {}, h('a', { href: behind(site, a), 'data-test': 'alert-records' }, a.measure === 'residents-calls' ? 'calls' : 'records')) : h('td', {})));
  return h('section', { 'data-test': 'market-watch' },
    h('h2', {}, 'Market watch'),
    alerts.length
      ? [h('p', { class: open.length ? 'warning' : 'muted', 'data-test': 'open-alerts' }, open.length ? `${open.length} alert(s) open: a closed market's activity has returned.` : 'Every alert has been acknowledged.'), table('alerts', ['Market', 'Measure', 'Week', 'Records', 'Answer', ...(holdsAt(site, ...RECORD_READERS) ? [''] : [])], rows)]
      : h('p', { class: 'muted', 'data-test': 'no-alerts' }, 'No alert: the closed markets stay at their level after the call-in.'));
}

function acknowledgeForm(site, a) {
  const note = h('input', { 'aria-label': 'What the team does', placeholder: 'what the team does', 'data-test': 'alert-note' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-test': 'alert-acknowledge', onclick: () => act(() => api('POST', `/sites/${site}/alerts/${a.id}/acknowledged`, { note: note.value }), 'Alert acknowledged.', () => window.dispatchEvent(new HashChangeEvent('hashchange'))) }, 'Acknowledge');
  return h('span', { class: 'control' }, note, button);
}

function render(r) {
  const out = [];
  if (r.callIn) {
    out.push(h('p', { 'data-test': 'outcome-windows' }, `Call-in ${r.callIn}. Before: ${r.before.from} to ${dayBefore(r.before.until)} (${r.before.months} months). After: ${r.after.from} to ${dayBefore(r.after.until)} (${r.after.months} months).`));
  }
  if (r.areas.length) {
    out.push(table('outcome-areas', ['Area', 'Before', 'After', 'Change in records a month'], r.areas.map((a) =>
      h('tr', { 'data-area': a.area }, h('td', {}, AREAS[a.area]), h('td', {}, String(a.before)), h('td', {}, String(a.after)), h('td', {}, a.percentChange === undefined ? '—' : pct(a.percentChange))))));
  }
  const findings = [];
  if (r.rateRatio) {
    const x = r.rateRatio;
    const change = (x.ratio - 1) * 100;
    findings.push(h('li', { 'data-test': 'rate-ratio' }, `Difference in differences: the target area's records ${change < 0 ? 'fell' : 'rose'} ${Math.abs(change).toFixed(1)}% relative to the comparison area (rate ratio ${num(x.ratio)}, 95% interval ${num(x.low)} to ${num(x.high)}${x.high < 1 || x.low > 1 ? '' : '; the interval includes no change'}).`));
  }
  if (r.displacementDifference) {
    const d = r.displacementDifference;
    findings.push(h('li', { 'data-test': 'wdd' }, `Weighted displacement difference: ${num(d.total, 1)} records (95% interval ${num(d.low, 1)} to ${num(d.high, 1)}, z = ${num(d.z)}); in the target against the comparison area ${num(d.local, 1)}, in the buffer ${num(d.displacement, 1)}.`));
  }
  if (r.displacementQuotient) {
    const q = r.displacementQuotient;
    findings.push(h('li', { 'data-test': 'wdq' }, `Weighted displacement quotient${q.quotient === undefined ? '' : ` ${num(q.quotient)}`} — ${q.reading}.`));
  }
  if (r.timeSeries) {
    const t = r.timeSeries;
    findings.push(h('li', { 'data-test': 'its' }, `Time series (${t.months} whole months${t.seasonal ? ', with seasons' : ''}): at the call-in the level changed by ${pct((t.levelChange.rateRatio - 1) * 100)} (95% interval ${pct((t.levelChange.low - 1) * 100)} to ${pct((t.levelChange.high - 1) * 100)}), and the monthly trend by ${pct((t.trendChange.rateRatio - 1) * 100)} a month (dispersion ${num(t.dispersion)}: above 1 the months vary more than chance, and the intervals are widened). The regression tests the change at the call-in month by month; the rate ratio above compares the two windows' totals, so the two can differ.`));
  }
  if (findings.length) out.push(h('ul', { class: 'card', 'data-test': 'outcome-findings' }, findings));
  if (r.notComputed.length) {
    out.push(h('div', { class: 'card', 'data-test': 'not-computed' }, h('h3', {}, 'Caveats, and what could not be computed'), h('ul', { class: 'items' }, r.notComputed.map((n) => h('li', {}, n)))));
  }
  if (r.months.length) out.push(chart('outcome-series', seriesChart(r)));
  if (r.areas.length) out.push(chart('outcome-bars', barsChart(r)));
  if (r.timeSeries) out.push(chart('outcome-its', itsChart(r.timeSeries)));
  return out;
}

const dayBefore = (iso) => addDays(iso, -1);

// A canvas in a card, drawn once it is in the page (Chart.js measures its parent).
function chart(test, config) {
  config.options.maintainAspectRatio = false; // fill the card's height
  const canvas = h('canvas', { 'aria-label': config.options.plugins.title.text, role: 'img' });
  const card = h('div', { class: 'card chart', 'data-test': test }, canvas);
  queueMicrotask(() => {
    if (window.Chart) new window.Chart(canvas, config);
  });
  return card;
}

function seriesChart(r) {
  // a window's first and last months are partial unless the call-in is on the 1st
  const partialFirst = r.before && !r.before.from.endsWith('-01');
  const partialLast = r.after && !r.after.until.endsWith('-01');
  const labels = r.months.map((m, i) => (m.period === 'call-in' ? `${m.month} (call-in)` : (i === 0 && partialFirst) || (i === r.months.length - 1 && partialLast) ? `${m.month} (part)` : m.month));
  const datasets = Object.keys(AREAS).filter((a) => r.months.some((m) => m[a] !== undefined)).map((a) => ({
    label: AREAS[a], data: r.months.map((m) => (m[a] === undefined ? null : m[a])), borderColor: COLOURS[a], backgroundColor: COLOURS[a], tension: 0, pointRadius: 2,
  }));
  return { type: 'line', data: { labels, datasets }, options: { animation: false, plugins: { title: { display: true, text: 'Records a month (the call-in month is partly before, partly after; months marked part are only partly in the windows)' } }, scales: { y: { beginAtZero: true } } } };
}

function barsChart(r) {
  return {
    type: 'bar',
    data: {
      labels: r.areas.map((a) => AREAS[a.area]),
      datasets: [
        { label: `Before (${r.before ? r.before.months : ''} months)`, data: r.areas.map((a) => a.before), backgroundColor: '#909497' },
        { label: `After (${r.after ? r.after.months : ''} months)`, data: r.areas.map((a) => a.after), backgroundColor: '#1f4e79' },
      ],
    },
    options: { animation: false, plugins: { title: { display: true, text: 'Before and after the call-in' } }, scales: { y: { beginAtZero: true } } },
  };
}

function itsChart(t) {
  const labels = t.fitted.map((f) => f.month);
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'Observed', data: t.fitted.map((f) => f.observed), showLine: false, borderColor: '#1d2330', backgroundColor: '#1d2330', pointRadius: 3 },
        { label: 'Model', data: t.fitted.map((f) => f.fitted), borderColor: '#1f4e79', backgroundColor: '#1f4e79', pointRadius: 0 },
        { label: 'Had the call-in changed nothing', data: t.fitted.map((f) => f.withoutCallIn), borderColor: '#a4262c', backgroundColor: '#a4262c', borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { animation: false, plugins: { title: { display: true, text: 'Target area: segmented Poisson regression (whole months)' } }, scales: { y: { beginAtZero: true } } },
  };
}

// How the intervention was carried out: fidelity by phase, the call-in, referrals and enforcement as the user's role
// may see them (the API leaves out what it may not), team turnover. Counts only; no person is named.
export async function processTab(base) {
  const r = await api('GET', `${base}/reports/process`);
  const rows = (pairs) => h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
  const out = [h('h2', {}, 'Process report'),
    h('p', { 'data-test': 'process-fidelity' }, `Fidelity ${r.overallFidelity}%. Current step: ${r.currentStep || 'all steps done'}.`),
    table('process-phases', ['Phase', 'Fidelity', 'Items done'], r.fidelity.map((f) => h('tr', {}, h('td', {}, f.name), h('td', {}, `${f.percent}%`), h('td', {}, `${f.doneItems} of ${f.applicableItems}`))))];
  if (r.callIn) {
    out.push(h('div', { class: 'card', 'data-test': 'process-call-in' }, h('h3', {}, 'Call-in'), rows([
      ['Candidates', r.callIn.candidates], ['Notified (letter mailed)', r.callIn.notified], ['Came', r.callIn.attended],
      ['Held', r.callIn.held ? 'yes' : r.callIn.planned ? 'planned' : 'not planned yet']])));
  }
  if (r.referrals) {
    const x = r.referrals;
    out.push(h('div', { class: 'card', 'data-test': 'process-referrals' }, h('h3', {}, 'Referrals to services'), rows([
      ['Referrals', x.referrals], ['Persons referred', x.persons], ['Intake', x.intake], ['Engaged', x.engaged], ['Completed', x.completed], ['Declined', x.declined], ['No-show', x.noShow]]),
      h('p', { class: 'muted' }, 'A drug-treatment referral counts only as referred or declined: what the provider reports is not counted.')));
  }
  if (r.enforcement) {
    out.push(h('div', { class: 'card', 'data-test': 'process-enforcement' }, h('h3', {}, 'Enforcement'), rows([
      ['Banked cases', r.enforcement.bankedCases], ['Activated', r.enforcement.activated], ['Violations after the call-in', r.enforcement.violations]])));
  }
  out.push(h('div', { class: 'card', 'data-test': 'process-team' }, h('h3', {}, 'Team'), rows([
    ['Members today', r.team.members], ['Joined since the intervention started', r.team.joined], ['Left since it started', r.team.left]])));
  return h('section', {}, out);
}

const GOALS = [['eliminate-market', 'Eliminate the open-air drug market'], ['return-neighborhood', 'Return the neighbourhood to the residents'], ['reduce-crime', 'Reduce crime and disorder'], ['improve-safety', "Improve the public's safety and quality of life"]];
const ASSESSMENTS = [['met', 'met'], ['partly-met', 'partly met'], ['not-met', 'not met'], ['too-early', 'too early to say']];
const TEAM = ['police', 'prosecutor', 'community', 'services', 'research', 'poc', 'site-admin'];

// The after-action debrief: the four goals with the evidence weighed, what went to plan, what to change, a second SWOT
export async function debriefTab(site, base, rerender, zone) {
  const { debriefs } = await api('GET', `${base}/debriefs`);
  const debriefCard = (d, test) => debriefShown(d, test, zone);
  const latest = debriefs[0];
  const out = [h('h2', {}, 'After-action debrief'),
    h('p', { class: 'muted' }, 'Were the four goals of the DMI met? Weigh the evidence the platform holds: the Outcome tab (records in the target against the comparison area, displacement, the market watch), the Process tab, and the residents\' calls on the Community tab. Each debrief is kept; the latest stands, and the next intervention at the site starts from its lessons.'),
    h('p', {}, h('a', { href: `#${base}/outcome` }, 'Outcome'), ' · ', h('a', { href: `#${base}/process` }, 'Process'), ' · ', h('a', { href: `#${base}/community` }, 'Community'))];
  if (latest) out.push(debriefCard(latest, 'debrief-latest'));
  if (holdsAt(site, ...TEAM)) {
    // the figures the platform holds for each goal fill the evidence in; the team weighs and edits them
    let found = { goals: [], missing: [] };
    try {
      found = await api('GET', `${base}/debriefs/evidence`);
    } catch (error) {
      failed(error);
    }
    const held = Object.fromEntries(found.goals.map((g) => [g.goal, g]));
    const fields = {};
    const goalRows = GOALS.map(([id, label]) => {
      const assessment = h('select', { 'data-test': `goal-${id}`, 'aria-label': `${label}: assessment` }, ASSESSMENTS.map(([v, l]) => h('option', { value: v }, l)));
      const evidence = h('textarea', { 'data-test': `goal-evidence-${id}`, 'aria-label': `${label}: evidence`, rows: 4, maxlength: '2000', placeholder: 'the evidence weighed' });
      evidence.value = held[id] ? held[id].lines.join('\n') : '';
      // figures from the records are for the reader to weigh: the debrief is read by roles that do not read records
      const figures = held[id] && held[id].fromRecords.length
        ? h('div', { class: 'muted', 'data-test': `goal-figures-${id}` }, h('strong', {}, 'From the records (not copied into the debrief): '), h('ul', {}, held[id].fromRecords.map((l) => h('li', {}, l))))
        : null;
      fields[id] = { assessment, evidence };
      return h('tr', {}, h('td', {}, label), h('td', {}, assessment), h('td', { class: 'wide' }, evidence, figures));
    });
    const text = (name, label) => {
      fields[name] = h('textarea', { id: `debrief-${name}`, rows: 2, 'data-test': `debrief-${name}` });
      return h('div', {}, h('label', { for: `debrief-${name}` }, label), fields[name]);
    };
    const form = h('form', { class: 'card', 'data-test': 'debrief-form' }, h('h3', {}, 'Record a debrief'),
      h('p', { class: 'muted' }, 'The evidence is filled in from what every reader of a debrief may see (community work, the market watch); the records\' figures (12 months before the call-in, the months since, up to 12) are listed under it for those who read the records. A debrief is read by the whole team and by national staff: write the team\'s reading of the figures, not the counts. What is recorded is what stands in the box.'),
      found.missing.length ? h('div', { class: 'gate', 'data-test': 'evidence-missing' }, h('strong', {}, 'Not in the evidence: '), h('ul', {}, found.missing.map((m) => h('li', {}, m)))) : null,
      table('debrief-goals', ['Goal', 'Assessment', 'Evidence'], goalRows),
      h('div', { class: 'cols' }, text('wentToPlan', 'What went to plan'), text('toChange', 'What to change next time')),
      h('h3', {}, 'A second SWOT'),
      h('div', { class: 'cols' }, text('strengths', 'Strengths'), text('weaknesses', 'Weaknesses'), text('opportunities', 'Opportunities'), text('threats', 'Threats')),
      h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-test': 'debrief-save' }, 'Record the debrief')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = { goals: GOALS.map(([id]) => ({ goal: id, assessment: fields[id].assessment.value, evidence: fields[id].evidence.value })) };
      for (const name of ['wentToPlan', 'toChange', 'strengths', 'weaknesses', 'opportunities', 'threats']) body[name] = fields[name].value;
      act(() => api('POST', `${base}/debriefs`, body), 'Debrief recorded.', rerender);
    });
    out.push(form);
  }
  if (debriefs.length > 1) out.push(h('h3', {}, 'Earlier debriefs'), ...debriefs.slice(1).map((d) => debriefCard(d, 'debrief-earlier')));
  return h('section', {}, out);
}

function debriefShown(d, test, zone) {
  const label = Object.fromEntries(GOALS);
  const assessed = Object.fromEntries(ASSESSMENTS);
  return h('div', { class: 'card', 'data-test': test },
    h('p', { class: 'muted' }, `Recorded by ${d.recordedBy} on ${atZone(d.recordedAt, zone)}.`),
    table('debrief-assessed', ['Goal', 'Assessment', 'Evidence'], d.goals.map((g) => h('tr', {}, h('td', {}, label[g.goal]), h('td', {}, assessed[g.assessment]), h('td', { class: 'lines' }, g.evidence)))),
    d.wentToPlan ? h('p', {}, h('strong', {}, 'Went to plan: '), d.wentToPlan) : null,
    d.toChange ? h('p', {}, h('strong', {}, 'To change: '), d.toChange) : null,
    [['Strengths', d.strengths], ['Weaknesses', d.weaknesses], ['Opportunities', d.opportunities], ['Threats', d.threats]].filter(([, v]) => v).map(([k, v]) => h('p', {}, h('strong', {}, `${k}: `), v)));
}

// On a new intervention's steps: what the last debrief at the site said to change
export async function lessonsNote(base) {
  try {
    const { lessons } = await api('GET', `${base}/debriefs/lessons`);
    if (!lessons || !lessons.toChange) return null;
    return h('p', { class: 'card gate', 'data-test': 'lessons' }, `From the debrief of ${lessons.interventionName}: ${lessons.toChange}`);
  } catch (error) {
    return null;
  }
}
