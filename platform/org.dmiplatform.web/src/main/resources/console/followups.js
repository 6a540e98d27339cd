// Step 9, the resource coordinator's list: every open follow-up task of the site whose due date has passed (in the
// site's time zone), oldest first, each closed from here when done (on the site's today, which the platform sets).

import { api, h, show, failed, holdsAt, table, notice } from './lib.js';

export async function followUpsPage(site) {
  const { overdue } = await api('GET', `/sites/${site}/follow-ups/overdue`);
  const rows = overdue.map((t) => h('tr', { 'data-test': 'overdue-task' },
    h('td', {}, t.due), h('td', {}, t.what),
    h('td', {}, h('a', { href: `#/sites/${site}/interventions/${t.intervention}/persons/${t.person}`, 'data-test': 'task-person' }, `person #${t.person}`), ' in ', h('a', { href: `#/sites/${site}/interventions/${t.intervention}` }, `intervention ${t.intervention}`)),
    h('td', {}, holdsAt(site, 'services', 'community', 'poc')
      ? h('button', { type: 'button', class: 'secondary', 'data-test': 'task-done', onclick: () => api('POST', `/sites/${site}/interventions/${t.intervention}/tasks/${t.id}/done`, {}).then(() => { notice('Follow-up done.', true); return followUpsPage(site); }).catch(failed) }, 'Done')
      : null)));
  show(h('h1', {}, 'Overdue follow-ups'), h('p', {}, h('a', { href: `#/sites/${site}` }, '← site')),
    h('p', { class: 'muted' }, 'Step 9: the tasks of the site\'s referrals whose due date has passed.'),
    rows.length ? table('overdue', ['Due', 'Task', 'For', ''], rows) : h('p', { 'data-test': 'no-overdue' }, 'No follow-up is overdue.'));
}
