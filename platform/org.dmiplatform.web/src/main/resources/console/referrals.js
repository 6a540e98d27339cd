// Step 9 in the console, for the services, community and point-of-contact roles: a person's page (the person as the
// caller may see them; their referrals with outcomes, mentor and the coordinator's tasks; for drug treatment, the
// person's consents and the provider's follow-up under them) and, on the call-in tab, the candidates referred together
// and what became of the call-in's referrals. The API decides who sees what: treatment information only ever arrives
// with its redisclosure notice, which is shown with it. Days left blank are the site's today, set by the platform.

import { api, h, show, notice, failed, holdsAt, table, form, act, kebabLabel, atZone } from './lib.js';
import { CATEGORIES } from './directory.js';
import { releaseForm, reviewSection } from './intelligence.js';

const OUTCOMES = ['referred', 'intake', 'engaged', 'completed', 'declined', 'no-show'];
const PROGRAMME_OUTCOMES = ['referred', 'declined'];
const FOLLOWERS = ['services', 'community', 'poc'];
let zone = 'UTC'; // the site's time zone, in which every time is shown
// an instant as the day and time at the site: 2026-11-30 14:05
const atSite = (iso) => atZone(iso, zone);
const categoryLabel = (id) => (CATEGORIES.find(([c]) => c === id) || [id, kebabLabel(id)])[1];

export const personLink = (site, intervention, person, name) =>
  h('a', { href: `#/sites/${site}/interventions/${intervention}/persons/${person.id || person}`, 'data-test': 'person-link' }, name);

// --- choosing a service of the directory ----------------------------------------------------------------------------

// A kind of service and, for it, a service of the site's directory or a provider typed in. value() gives the fields
// of a referral: { category, serviceId, provider }.
// arranged: the service arranged at the call-in for each kind (Step 7a), chosen first when there is one.
function servicePicker(site, test, arranged = {}) {
  const category = h('select', { 'data-test': `${test}-category`, 'aria-label': 'Kind of service' }, CATEGORIES.map(([id, label]) => h('option', { value: id }, label)));
  const service = h('select', { 'data-test': `${test}-service`, 'aria-label': 'Service of the directory' });
  const provider = h('input', { 'data-test': `${test}-provider`, 'aria-label': 'Provider', placeholder: 'or a provider not in the directory' });
  const found = h('span', { class: 'muted' });
  async function load() {
    service.replaceChildren(h('option', { value: '' }, '— a provider not in the directory —'));
    try {
      const { services } = await api('GET', `/sites/${site}/directory?category=${category.value}&limit=500`);
      for (const s of services.filter((x) => !x.status || x.status === 'active')) {
        const where = s.organization.name && s.organization.name !== s.name ? `${s.organization.name} (${s.name})` : s.name;
        service.append(h('option', { value: s.id, selected: s.id === arranged[category.value] }, where));
      }
      found.textContent = service.options.length > 1 ? `${service.options.length - 1} in the directory` : 'none in the directory: type the provider';
    } catch (error) {
      found.textContent = 'the directory could not be searched: type the provider';
    }
    providerField.hidden = service.value !== '';
  }
  category.addEventListener('change', load);
  service.addEventListener('change', () => { providerField.hidden = service.value !== ''; });
  const providerField = h('div', {}, h('label', {}, 'Provider'), provider);
  const element = h('div', { class: 'grid wide' },
    h('div', {}, h('label', {}, 'Kind of service'), category),
    h('div', {}, h('label', {}, 'Service'), service, found),
    providerField);
  return { element, load, value: () => ({ category: category.value, serviceId: service.value, provider: service.value ? '' : provider.value.trim() }) };
}

// --- a person's page -------------------------------------------------------------------------------------------------

export async function personPage(site, intervention, id) {
  const base = `/sites/${site}/interventions/${intervention}`;
  const [person, { site: where }] = await Promise.all([api('GET', `${base}/persons/${id}`), api('GET', `/sites/${site}`)]);
  zone = where.timeZone;
  const rerender = () => personPage(site, intervention, id);
  const i = person.intelligence;
  const facts = h('dl', { class: 'facts card', 'data-test': 'person-facts' },
    h('dt', {}, 'Decision'), h('dd', {}, kebabLabel(person.decision)),
    h('dt', {}, 'Call-in'), h('dd', {}, person.callIn ? `${person.callIn.invited ? 'invited' : 'not invited'}${person.callIn.attended ? ', came' : ''}` : 'not invited'),
    i ? [h('dt', {}, 'Level'), h('dd', {}, `${i.level}${i.active ? ', active' : ''}${i.violenceHistory ? ', violence history' : ''}`)] : null,
    i && i.pendingCharges ? [h('dt', {}, 'Pending charges'), h('dd', {}, i.pendingCharges)] : null);
  const referrals = person.referrals;
  let body;
  if (!referrals) {
    body = h('p', { class: 'muted' }, 'Referrals to services are shown to services, community and the point of contact only.');
  } else {
    body = [
      h('h2', {}, 'Referrals (Step 9)'),
      referrals.length ? null : h('p', { class: 'muted', 'data-test': 'no-referrals' }, 'No referral yet.'),
      ...(await Promise.all(referrals.map((r) => referralCard(site, base, r, rerender)))),
      referForm(site, base, person, rerender),
    ];
  }
  show(
    h('p', {}, h('a', { href: `#${base}/persons` }, '← dealer list'), ' · ', h('a', { href: `#${base}/call-in` }, 'call-in')),
    h('h1', { 'data-test': 'person-name' }, person.name),
    facts,
    i ? await intelligenceSection(site, base, person, rerender) : null,
    influentialsSection(site, base, person, rerender),
    body,
  );
}

// Step 3a and Step 8 for those who hold the intelligence: the facts refined, the decisions as made, violations
async function intelligenceSection(site, base, person, rerender) {
  const i = person.intelligence;
  const deciders = holdsAt(site, 'police', 'prosecutor');
  const writers = holdsAt(site, 'police', 'prosecutor', 'site-admin');
  const out = [h('h2', {}, 'Intelligence (Steps 3, 3a, 3b, 4 and 8)'),
    h('p', { class: 'muted' }, `Entered by ${i.enteredBy} on ${atZone(i.enteredAt, zone)}; source: ${i.source}; review due ${i.reviewDue}. `,
      h('a', { href: `/api/v1${base}/persons/${person.id}/notebook`, target: '_blank', rel: 'noopener', 'data-test': 'notebook' }, 'Read the notebook for the call-in (Step 7b)')),
    // a copy to print or pass on is given to someone, for a reason (28 CFR 23.20(g)); reading it on screen is not
    h('details', { class: 'give-out' }, h('summary', {}, 'Give out the notebook as a file (to print or pass on)'),
      releaseForm('give-out-notebook', null, `${base}/persons/${person.id}/notebook`, `notebook-${person.id}.html`)),
    await reviewSection(site, base, person, zone, rerender)];
  // Step 3: the incident review, person by person, and the key addresses the person is linked to
  out.push(h('h3', {}, 'Incident review (Step 3)'),
    i.incidentNotes.length ? table('incident-notes', ['Reviewed', 'Note', 'By'], i.incidentNotes.map((n) => h('tr', {}, h('td', {}, n.reviewedOn), h('td', { class: 'lines' }, n.note), h('td', {}, n.recordedBy)))) : h('p', { class: 'muted' }, 'No incident reviewed yet.'),
    deciders ? form('incident-note', 'Add to the incident review', [['reviewedOn', 'Reviewed on', 'date'], ['note', 'What the incidents show', 'textarea']], 'Add', async (v) => {
      await api('POST', `${base}/persons/${person.id}/incident-notes`, v);
      await rerender();
      notice('Incident review noted.', true);
    }) : null);
  const addresses = deciders || i.addresses.length ? (await api('GET', `${base}/addresses`)).addresses : [];
  const where = Object.fromEntries(addresses.map((a) => [a.id, a.address]));
  out.push(h('h3', {}, 'Addresses'),
    i.addresses.length ? table('person-addresses', ['Address', 'How', 'By'], i.addresses.map((a) => h('tr', {}, h('td', {}, where[a.address] || `#${a.address}`), h('td', {}, a.relation), h('td', {}, a.recordedBy)))) : h('p', { class: 'muted' }, 'Not linked to a key address.'),
    deciders && addresses.length ? form('address-link', 'Link to a key address', [['address', 'Address', 'select', addresses.map((a) => [String(a.id), a.address])], ['relation', 'How (lives, sells, stash…)']], 'Link', async (v) => {
      await api('POST', `${base}/persons/${person.id}/addresses`, { address: Number(v.address), relation: v.relation });
      await rerender();
      notice('Address linked.', true);
    }) : null);
  if (writers) {
    const level = h('select', { id: 'facts-level', 'data-test': 'facts-level' }, [['street', 'street level'], ['mid', 'mid level']].map(([v, l]) => h('option', { value: v, selected: v === i.level }, l)));
    const active = h('input', { type: 'checkbox', id: 'facts-active', checked: i.active });
    const violence = h('input', { type: 'checkbox', id: 'facts-violence', checked: i.violenceHistory });
    const note = h('input', { id: 'facts-violenceNote', value: i.violenceNote || '' });
    const pending = h('input', { id: 'facts-pendingCharges', value: i.pendingCharges || '' });
    const f = h('form', { class: 'card', 'data-test': 'facts-form' }, h('h3', {}, 'Refine the facts (Step 3a)'),
      h('div', { class: 'grid' },
        h('div', {}, h('label', { for: 'facts-level' }, 'Level'), level),
        h('div', {}, h('label', { for: 'facts-active' }, 'Still active'), active),
        h('div', {}, h('label', { for: 'facts-violence' }, 'History of violence'), violence),
        h('div', {}, h('label', { for: 'facts-violenceNote' }, 'About the violence'), note),
        h('div', {}, h('label', { for: 'facts-pendingCharges' }, 'Pending charges'), pending)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save the facts')));
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => api('PATCH', `${base}/persons/${person.id}`, { level: level.value, active: active.checked, violenceHistory: violence.checked, violenceNote: note.value, pendingCharges: pending.value }), 'Facts saved.', rerender);
    });
    out.push(f);
  }
  out.push(h('h3', {}, 'Decisions, as made'),
    table('decisions', ['Decision', 'Criteria', 'By', 'When'], i.decisions.map((d) => h('tr', {}, h('td', {}, kebabLabel(d.decision)), h('td', {}, d.criteria), h('td', {}, d.decidedBy), h('td', {}, atZone(d.decidedAt, zone))))),
    h('h3', {}, 'Violations after the call-in (Step 8)'),
    i.violations.length
      ? table('violations', ['On', 'What', 'Action taken', 'By'], i.violations.map((v) => h('tr', {}, h('td', {}, v.occurredOn), h('td', {}, v.description), h('td', {}, v.action), h('td', {}, v.recordedBy))))
      : h('p', { class: 'muted', 'data-test': 'no-violations' }, 'No violation recorded.'));
  if (deciders) {
    out.push(form('violation', 'Record a violation', [['occurredOn', 'On', 'date'], ['description', 'What happened'], ['action', 'Action taken']], 'Record', async (v) => {
      await api('POST', `${base}/persons/${person.id}/violations`, v);
      await rerender();
      notice('Violation recorded.', true);
    }));
  }
  return h('section', { 'data-test': 'intelligence' }, out);
}

// Influential people in the person's life (Step 3a), whom the team may ask to come to the call-in
function influentialsSection(site, base, person, rerender) {
  const writers = holdsAt(site, 'police', 'prosecutor', 'site-admin', 'community', 'services', 'poc');
  return h('section', { 'data-test': 'influentials' },
    h('h2', {}, 'Influentials (Step 3a)'),
    person.influentials.length
      ? table('influentials-list', ['Name', 'Relationship', 'Contacted', 'Outcome', 'By'], person.influentials.map((x) => h('tr', {}, h('td', {}, x.name), h('td', {}, x.relationship), h('td', {}, x.contactedOn || 'not yet'), h('td', {}, x.outcome), h('td', {}, x.recordedBy))))
      : h('p', { class: 'muted' }, 'No influential recorded.'),
    writers ? form('influential', 'Add an influential', [['name', 'Name'], ['relationship', 'Relationship (mother, pastor, coach…)'], ['contactedOn', 'Contacted on', 'date'], ['outcome', 'Outcome of the contact']], 'Add', async (v) => {
      await api('POST', `${base}/persons/${person.id}/influentials`, v);
      await rerender();
      notice('Influential added.', true);
    }) : null);
}

function referForm(site, base, person, rerender) {
  const picker = servicePicker(site, 'refer');
  const on = h('input', { type: 'date', 'data-test': 'refer-on', 'aria-label': 'Referred on' });
  const button = h('button', { type: 'submit', 'data-test': 'refer' }, 'Refer');
  const el = h('form', { class: 'card', 'data-test': 'refer-form' }, h('h3', {}, `Refer ${person.name} to a service`), picker.element,
    h('div', { class: 'grid' }, h('div', {}, h('label', {}, 'Referred on (blank: today)'), on)), h('div', { class: 'actions' }, button));
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { ...picker.value(), ...(on.value ? { referredOn: on.value } : {}) };
    act(() => api('POST', `${base}/persons/${person.id}/referrals`, body), `${person.name} referred.`, rerender);
  });
  picker.load();
  return el;
}

async function referralCard(site, base, r, rerender) {
  const path = `${base}/referrals/${r.id}`;
  const treatment = r.category === 'drug-treatment';
  const [followUp, service, consents, disclosure] = await Promise.all([
    api('GET', `${path}/follow-up`),
    r.serviceId ? api('GET', `/sites/${site}/directory/services/${encodeURIComponent(r.serviceId)}`).catch((e) => (e.status === 404 ? null : undefined)) : Promise.resolve(undefined),
    treatment ? api('GET', `${path}/consents`).then((c) => c.consents) : Promise.resolve([]),
    treatment ? api('GET', `${path}/treatment`) : Promise.resolve(null),
  ]);
  const history = table('referral-history', ['On', 'What', 'Note', 'By'], followUp.history.map((e) =>
    h('tr', { 'data-event': e.kind }, h('td', {}, e.on), h('td', {}, e.kind === 'mentor' ? `mentor: ${e.value}` : kebabLabel(e.value)), h('td', {}, e.note), h('td', {}, e.recordedBy))));
  const tasks = followUp.tasks.map((t) => h('li', { 'data-test': 'task' }, `${t.what} — due ${t.due}`, t.doneOn ? ` (done ${t.doneOn})` : [' ',
    h('button', { type: 'button', class: 'secondary', 'data-test': 'task-done', onclick: () => act(() => api('POST', `${base}/tasks/${t.id}/done`, {}), 'Follow-up done.', rerender) }, 'Done')]));
  const mentor = followUp.history.filter((e) => e.kind === 'mentor').slice(-1)[0];
  // on drug treatment, what the provider reports is for the recipients of a valid consent only (42 CFR Part 2)
  const underConsent = Boolean(followUp.notice || (disclosure && disclosure.disclosed));
  const offered = treatment && !underConsent ? PROGRAMME_OUTCOMES : OUTCOMES;
  return h('section', { class: 'card', 'data-referral': r.id, 'data-category': r.category },
    h('h3', {}, `${categoryLabel(r.category)}: ${r.provider}`),
    h('p', {}, `Referred ${r.referredOn} by ${r.recordedBy}. Now: `, h('strong', { 'data-test': 'referral-status' }, kebabLabel(r.status)), mentor ? `. Mentor: ${mentor.value}` : '', '.'),
    service === null ? h('p', { class: 'warning' }, 'This service is no longer in the site\'s directory.') : service ? serviceLine(service) : null,
    followUp.notice ? h('p', { class: 'gate', 'data-test': 'redisclosure-notice' }, followUp.notice) : null,
    followUp.history.length ? history : null,
    h('h3', {}, 'Follow-up tasks'),
    tasks.length ? h('ul', { class: 'items' }, tasks) : h('p', { class: 'muted' }, 'None.'),
    h('div', { class: 'cols' },
      form(`outcome-${r.id}`, 'What became of it', [['outcome', 'Outcome', 'select', offered.map((o) => [o, kebabLabel(o)])], ['on', 'On (blank: today)', 'date'], ['note', 'Note']], 'Record', async (v) => {
        await api('POST', `${path}/outcomes`, v);
        await rerender();
        notice('Outcome recorded.', true);
      }),
      form(`task-${r.id}`, treatment ? 'A task for the coordinator (seen by every services, community and point-of-contact user: no treatment information)' : 'A task for the coordinator', [['what', 'What'], ['due', 'Due', 'date']], 'Add', async (v) => {
        await api('POST', `${path}/tasks`, v);
        await rerender();
        notice('Task added.', true);
      })),
    form(`mentor-${r.id}`, mentor ? 'Change the mentor' : 'Assign a mentor', [['mentor', 'Mentor']], 'Assign', async (v) => {
      await api('PUT', `${path}/mentor`, v);
      await rerender();
      notice('Mentor assigned.', true);
    }),
    treatment ? treatmentPart(base, path, consents, disclosure, rerender) : null);
}

function serviceLine(s) {
  const l = s.locations[0];
  const phone = s.contacts.map((c) => c.phone).find(Boolean);
  const parts = [l && l.address, phone && `phone ${phone}`, s.hours.length ? s.hours.join('; ') : null, s.lastVerified ? `verified ${s.lastVerified}` : null].filter(Boolean);
  return h('p', { class: 'muted', 'data-test': 'referral-service' }, parts.join(' · '));
}

// 42 CFR Part 2: the consents (who may read the provider's follow-up, until when) and the follow-up itself, which the
// API gives only to a recipient of a consent valid today, with the notice
function treatmentPart(base, path, consents, disclosure, rerender) {
  const rows = consents.map((c) => h('tr', { 'data-consent': c.id },
    h('td', {}, c.recipients.join(', ')), h('td', {}, c.purpose), h('td', {}, c.information), h('td', {}, c.givenOn), h('td', {}, c.expiresOn),
    h('td', {}, c.revokedOn ? `revoked ${c.revokedOn}` : h('button', { type: 'button', class: 'secondary', 'data-test': 'revoke', onclick: () => act(() => api('POST', `${base}/consents/${c.id}/revoked`, {}), 'Consent revoked.', rerender) }, 'Revoked by the person'))));
  const give = form(`consent-${path.split('/').pop()}`, 'Record the person\'s written consent (42 CFR Part 2)', [
    ['recipients', 'Recipients (user names, comma-separated)'], ['purpose', 'Purpose'], ['information', 'Information disclosed'], ['givenOn', 'Signed on', 'date'], ['expiresOn', 'Expires on', 'date'],
  ], 'Record consent', async (v) => {
    await api('POST', `${path}/consents`, { ...v, recipients: (v.recipients || '').split(',').map((s) => s.trim()).filter(Boolean) });
    await rerender();
    notice('Consent recorded.', true);
  });
  const followUp = disclosure && disclosure.disclosed
    ? h('div', { 'data-test': 'treatment-follow-up' },
        h('p', { class: 'gate', 'data-test': 'redisclosure-notice' }, disclosure.disclosure.notice),
        disclosure.disclosure.notes.length ? h('ul', { class: 'items' }, disclosure.disclosure.notes.map((n) => h('li', {}, `${atSite(n.recordedAt)} ${n.recordedBy}: ${n.note}`))) : h('p', { class: 'muted' }, 'No follow-up from the provider yet.'),
        form(`treatment-${path.split('/').pop()}`, 'Record the provider\'s follow-up', [['note', 'Follow-up', 'textarea']], 'Record', async (v) => {
          await api('POST', `${path}/treatment`, v);
          await rerender();
          notice('Follow-up recorded.', true);
        }))
    : h('p', { class: 'muted', 'data-test': 'treatment-withheld' }, 'The provider\'s follow-up on treatment is shown only to the recipients a valid consent names.');
  return [h('h3', {}, 'Consent and treatment follow-up'), rows.length ? table('consents', ['Recipients', 'Purpose', 'Information', 'Signed', 'Expires', ''], rows) : h('p', { class: 'muted' }, 'No consent recorded.'), give, followUp];
}

// --- at the call-in --------------------------------------------------------------------------------------------------

// The call-in's referral outcomes by kind, and the invited candidates referred together to one service.
export async function referralsAtCallIn(site, base, callIn, rerender) {
  if (!holdsAt(site, ...FOLLOWERS)) return null;
  const { outcomes } = await api('GET', `${base}/call-in/referral-outcomes`);
  const rows = outcomes.map((o) => h('tr', { 'data-test': `outcomes-${o.category}` },
    h('td', {}, categoryLabel(o.category)), h('td', {}, String(o.referrals)),
    ...OUTCOMES.map((id) => h('td', {}, o.providerOutcomesWithheld && !['referred', 'declined'].includes(id) ? '—' : String(o.byOutcome[id] || 0)))));
  const people = callIn.invited.map((i) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: String(i.person), checked: i.attended, 'data-test': `bulk-person-${i.person}` }), ' ', i.name));
  const picker = servicePicker(site, 'bulk', Object.fromEntries(callIn.services.filter((s) => s.offered && s.serviceId).map((s) => [s.category, s.serviceId])));
  const button = h('button', { type: 'submit', 'data-test': 'bulk-refer' }, 'Refer those ticked');
  const bulk = h('form', { class: 'card', 'data-test': 'bulk-referral' }, h('h3', {}, 'Refer candidates together'),
    people.length ? h('div', { class: 'checks' }, ...people) : h('p', { class: 'muted' }, 'No one was invited yet (letters mailed, Step 6a).'),
    picker.element, h('div', { class: 'actions' }, button));
  bulk.addEventListener('submit', (event) => {
    event.preventDefault();
    const persons = people.map((l) => l.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.value));
    act(() => api('POST', `${base}/call-in/referrals`, { persons, ...picker.value() }), `${persons.length} referred.`, rerender);
  });
  picker.load();
  return [h('h2', {}, 'Referrals from the call-in (Step 9)'),
    table('referral-outcomes', ['Service', 'Referrals', ...OUTCOMES.map(kebabLabel)], rows),
    h('p', { class: 'muted' }, 'Drug treatment counts only referred and declined: what the provider reports is shown on each referral, to the recipients of a valid consent.'),
    people.length ? bulk : null];
}

