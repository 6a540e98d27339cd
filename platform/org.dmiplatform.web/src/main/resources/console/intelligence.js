// 28 CFR Part 23 in the console, for those who hold the intelligence: the entries due for review (and those overdue,
// which the platform purges), a review with its reason, what is left of purged entries, and copies given out. A copy
// given out as a file (the notebook, the dealer list, a letter's PDF) says to whom and why; it goes to the site's
// dissemination log, which police and the site administrator read here. Reading on screen is audited, not logged.

import { api, h, notice, holdsAt, table, form, download, kebabLabel, atZone } from './lib.js';

const LOG_READERS = ['police', 'site-admin'];
const PAGE = 25;

// A form giving out one file: recipient and reason, both required by the platform (it says which is missing).
export function releaseForm(test, title, path, fileName, defaults = {}, done = () => {}) {
  const el = form(test, title, [['recipient', 'Recipient (person or agency)'], ['reason', 'Reason (why they need it)', 'textarea']], 'Give out', async (v) => {
    await download(path, v, fileName);
    notice(`Given to ${v.recipient}; recorded in the dissemination log.`, true);
    await done();
  });
  for (const [name, value] of Object.entries(defaults)) el.querySelector(`[name=${name}]`).value = value;
  return el;
}

// The entries of the site due for review within 90 days, and those overdue, each linked to its page.
export async function reviewsDueSection(site) {
  const { due, within } = await api('GET', `/sites/${site}/reviews-due`);
  const rows = due.map((d) =>
    h('tr', { 'data-due': d.person, class: d.overdue ? 'overdue' : null },
      h('td', {}, h('a', { href: `#/sites/${site}/interventions/${d.intervention}/persons/${d.person}` }, d.name)),
      h('td', {}, d.reviewDue),
      h('td', {}, d.overdue ? 'overdue: purged at the next run' : 'due')));
  return h('section', { class: 'card', 'data-test': 'reviews-due' },
    h('h3', {}, `Reviews due within ${within} days (28 CFR 23.20(h))`),
    h('p', { class: 'muted' }, 'An entry not reviewed by its review day is purged. Review it on its page, with the reason the suspicion still holds.'),
    rows.length ? table('reviews-due-list', ['Person', 'Review due', ''], rows) : h('p', { class: 'muted' }, 'None due.'));
}

// On a person's page: the review day, the reviews so far, and the review itself.
export async function reviewSection(site, base, person, zone, rerender) {
  const { revalidations } = await api('GET', `${base}/persons/${person.id}/revalidations`);
  return h('section', { 'data-test': 'review' },
    h('h3', {}, `Review (28 CFR 23.20(h)): due ${person.intelligence.reviewDue}`),
    revalidations.length
      ? table('revalidations', ['Reviewed', 'By', 'Why', 'Due before', 'Due after'], revalidations.map((r) => h('tr', {}, h('td', {}, atZone(r.reviewedAt, zone)), h('td', {}, r.reviewedBy), h('td', { class: 'lines' }, r.reason), h('td', {}, r.dueBefore), h('td', {}, r.reviewDue))))
      : h('p', { class: 'muted' }, 'Not reviewed since it was entered.'),
    form('revalidate', 'Review: the suspicion still holds', [['reason', 'Why (what was checked, what is new)', 'textarea']], 'Keep on the list for five more years', async (v) => {
      await api('POST', `${base}/persons/${person.id}/revalidations`, v);
      await rerender();
      notice('Reviewed; the next review is due in five years.', true);
    }));
}

// The dissemination log and the purged entries, for police and the site administrator.
export async function oversightSection(site, zone) {
  if (!holdsAt(site, ...LOG_READERS)) return null;
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary', 'data-test': 'more-disseminations', hidden: true }, 'Older entries');
  let before = null;
  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (before) query.set('before', String(before));
    const page = await api('GET', `/sites/${site}/disseminations?${query}`);
    body.append(...page.disseminations.map((d) => h('tr', { 'data-dissemination': d.id },
      h('td', {}, atZone(d.givenAt, zone)), h('td', {}, kebabLabel(d.copy.toLowerCase().replace(/_/g, '-'))), h('td', {}, d.persons.map((p) => `#${p}`).join(', ')),
      h('td', {}, d.recipient), h('td', { class: 'lines' }, d.reason), h('td', {}, d.givenBy))));
    before = page.next || null;
    more.hidden = !before;
  };
  more.addEventListener('click', () => load().catch((e) => notice(e.message)));
  await load();
  const log = h('table', { 'data-test': 'disseminations' },
    h('thead', {}, h('tr', {}, ['Given', 'What', 'Entries', 'Recipient', 'Reason', 'By'].map((t) => h('th', { scope: 'col' }, t)))), body);
  const { purged } = await api('GET', `/sites/${site}/purged`);
  return h('section', { class: 'card', 'data-test': 'oversight' },
    h('h3', {}, 'Dissemination log (28 CFR 23.20(g))'),
    h('p', { class: 'muted' }, 'Every copy of intelligence given out as a file, with its recipient and reason, the latest first.'),
    body.children.length ? log : h('p', { class: 'muted' }, 'Nothing given out yet.'), more,
    h('h3', {}, 'Purged entries'),
    purged.length
      ? table('purged', ['Entry', 'Review was due', 'Purged on', 'Why', 'Removed'], purged.map((p) => h('tr', {}, h('td', {}, `#${p.person}`), h('td', {}, p.reviewDue), h('td', {}, p.purgedOn), h('td', {}, p.reason), h('td', {}, p.removed))))
      : h('p', { class: 'muted' }, 'None purged.'));
}
