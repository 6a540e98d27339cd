// DMI Platform web console. Plain modules, no build step. Everything shown comes from /api/v1,
// which checks the user's site and role on every request; the console only hides what the API
// would refuse anyway.

import { state, api, upload, ApiError, h, show, notice, failed, holds, holdsAt, isNational, isAdmin, table, whenLoggedOut } from './lib.js';
import { interventionsSection, interventionPage, teamPage, overviewPage, loadDefinition } from './programme.js';
import { recordsPage, quarantinePage } from './records.js';
import { mapPage } from './map.js';
import { directoryPage } from './directory.js';
import { followUpsPage } from './followups.js';
import { personPage } from './referrals.js';
import { setupPage } from './setup.js';
import { materialsPage, materialPage, siteMaterialsPage, siteMaterialPage } from './materials.js';
import { addOnsPage, siteAddOnsPage } from './addons.js';
import { codeStep, enrolmentStep, secondFactorCard } from './secondfactor.js';

const SITE_ROLES = ['police', 'prosecutor', 'community', 'services', 'research', 'poc', 'site-admin'];
const ROLES = [...SITE_ROLES, 'tta-staff', 'tta-admin'];
const KIND_LABEL = {
  'records-adapter': 'Records adapter',
  'service-directory': 'Service-provider directory',
  mapping: 'Mapping',
  reporting: 'Reporting',
};

whenLoggedOut(() => {
  renderChrome();
  location.hash = '#/login';
});

function renderChrome() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!state.session) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  const links = [['#/sites', 'Sites']];
  if (isNational()) links.push(['#/overview', 'Overview'], ['#/materials', 'Materials'], ['#/provision', 'New site'], ['#/addons', 'Add-ons']);
  if (isAdmin()) links.push(['#/users', 'Users'], ['#/audit', 'Audit log']);
  nav.replaceChildren(...links.map(([href, label]) => h('a', { href, 'data-nav': href }, label)));
  for (const a of nav.querySelectorAll('a')) {
    if (location.hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
  }
  who.replaceChildren(h('a', { href: '#/account', 'data-test': 'who' }, state.session.user.displayName), h('button', { type: 'button', onclick: logOut }, 'Log out'));
}

// --- log-in --------------------------------------------------------------------------------------

function loginPage() {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { class: 'card login', 'aria-label': 'Log in' }, h('h1', {}, 'Log in'), h('label', { for: 'username' }, 'User name'), username, h('label', { for: 'password' }, 'Password'), password, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const answer = await api('POST', '/session', { username: username.value, password: password.value });
      password.value = '';
      notice(null);
      if (answer.secondFactor === 'totp') {
        if (answer.enrolmentRequired) await enrolmentStep(answer, loggedIn, loginPage);
        else codeStep(answer, loggedIn, loginPage);
        return;
      }
      loggedIn(answer);
    } catch (error) {
      failed(error);
      password.value = '';
    } finally {
      submit.disabled = false;
    }
  });
  show(form);
  username.focus();
}

function loggedIn(session) {
  state.session = session;
  notice(null);
  renderChrome();
  location.hash = '#/sites';
}

async function logOut() {
  try {
    await api('DELETE', '/session');
  } catch (error) {
    // the session may have expired already
  }
  state.session = null;
  renderChrome();
  location.hash = '#/login';
}

// --- sites ---------------------------------------------------------------------------------------

async function sitesPage() {
  const { sites } = await api('GET', '/sites');
  const rows = sites.map((site) =>
    h(
      'tr',
      { 'data-site': site.id },
      h('td', {}, h('a', { href: `#/sites/${encodeURIComponent(site.id)}`, 'data-test': 'site-link' }, site.name)),
      h('td', {}, site.jurisdiction),
      h('td', {}, site.timeZone),
      h('td', {}, site.cohort),
      h('td', {}, site.roles.map((r) => h('span', { class: 'pill' }, r))),
    ),
  );
  show(
    h('h1', {}, isNational() ? 'All sites' : 'Your sites'),
    sites.length
      ? table('sites', ['Site', 'Jurisdiction', 'Time zone', 'Cohort', 'Your roles'], rows)
      : h('p', { class: 'muted' }, isNational() ? 'No site is provisioned yet.' : 'You hold no role at any site yet. Ask your site administrator.'),
  );
}

async function sitePage(id) {
  const detail = await api('GET', `/sites/${encodeURIComponent(id)}`);
  const { site } = detail;
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Jurisdiction'),
    h('dd', {}, site.jurisdiction || '—'),
    h('dt', {}, 'Time zone'),
    h('dd', {}, `${site.timeZone} (local time ${detail.localTime.replace('T', ' ').slice(0, 16)})`),
    h('dt', {}, 'Records arrive in'),
    h('dd', {}, site.sourceCrs.length ? site.sourceCrs.join(', ') : '—'),
    h('dt', {}, 'TTA cohort'),
    h('dd', {}, site.cohort || '—'),
    h('dt', {}, 'Features'),
    h('dd', {}, site.features.length ? site.features.join(', ') : 'none beyond the core'),
  );
  const pluginRows = Object.keys(KIND_LABEL).map((kind) => {
    const bound = detail.plugins.filter((p) => p.kind === kind);
    return h(
      'tr',
      { 'data-kind': kind },
      h('th', { scope: 'row' }, KIND_LABEL[kind]),
      bound.length ? h('td', { class: 'bound' }, bound.map((p) => `${p.name} (${p.bundle})`).join('; ')) : h('td', { class: 'missing' }, `no ${KIND_LABEL[kind].toLowerCase()}`),
    );
  });
  const team = detail.members.length
    ? table('team', ['Name', 'User name', 'Roles', 'State'], detail.members.map((m) => h('tr', {}, h('td', {}, m.displayName), h('td', {}, m.username), h('td', {}, m.roles.map((r) => h('span', { class: 'pill' }, r))), h('td', {}, m.enabled ? 'active' : 'disabled'))))
    : h('dl', { class: 'facts', 'data-test': 'team-counts' }, Object.entries(detail.accountsByRole).flatMap(([role, count]) => [h('dt', {}, role), h('dd', {}, String(count))]));
  show(
    h('h1', { 'data-test': 'site-name' }, site.name),
    h('div', { class: 'cols' }, h('section', { class: 'card' }, h('h2', {}, 'Settings'), facts), h('section', { class: 'card' }, h('h2', {}, 'Plug-ins'), h('table', { 'data-test': 'plugins' }, h('tbody', {}, pluginRows)),
      holdsAt(site.id, 'site-admin', 'tta-admin', 'tta-staff') ? h('p', {}, h('a', { href: `#/sites/${encodeURIComponent(site.id)}/addons`, 'data-test': 'site-addons-link' }, 'Add-ons of this site')) : null)),
    await interventionsSection(site.id),
    h('p', {}, h('a', { href: `#/sites/${encodeURIComponent(site.id)}/materials`, 'data-test': 'materials-link' }, 'Materials from the TTA team: letter templates, call-in scripts, guides, training')),
    h('section', {}, h('h2', {}, 'Platform accounts'), Object.keys(detail.accountsByRole).length ? team : h('p', { class: 'muted' }, 'No accounts at this site yet.')),
  );
}

async function provisionPage() {
  const { templates } = await api('GET', '/site-templates');
  const template = h('select', { id: 'template' }, h('option', { value: '' }, '(none: enter the settings)'), templates.map((t) => h('option', { value: t }, t)));
  const fields = {};
  const inputs = [
    ['id', 'Site id (lower case, e.g. high-point)'],
    ['name', 'Name'],
    ['jurisdiction', 'Jurisdiction'],
    ['timeZone', 'Time zone (e.g. America/New_York)'],
    ['cohort', 'TTA cohort'],
    ['sourceCrs', 'Coordinate systems the records arrive in, comma-separated (e.g. EPSG:2264, EPSG:4326)'],
    ['features', 'Features (plug-ins), comma-separated (e.g. dmi-adapter-csv, dmi-mapping-jts, dmi-reporting-standard)'],
    ['bounds', 'Bounds: west, south, east, north in degrees (records outside are quarantined)'],
  ].map(([key, label]) => {
    fields[key] = h('input', { id: `site-${key}`, name: key });
    return [h('label', { for: `site-${key}` }, label), fields[key]];
  });
  const adminName = h('input', { id: 'admin-username', autocomplete: 'off' });
  const adminDisplay = h('input', { id: 'admin-name', autocomplete: 'off' });
  const firstAdmin = holds('tta-admin')
    ? h('fieldset', {}, h('legend', {}, 'Its first site administrator (optional)'), h('label', { for: 'admin-username' }, 'User name'), adminName, h('label', { for: 'admin-name' }, 'Display name'), adminDisplay, h('p', { class: 'muted' }, 'A password is generated and shown once, here: hand it over in person; its holder changes it on their account page (their name, top right).'))
    : h('p', { class: 'muted' }, 'A TTA administrator creates the site\'s first site administrator on the Users page.');
  const outcome = h('div', { 'aria-live': 'polite', 'data-test': 'provisioned' });
  const form = h('form', { class: 'card' }, h('label', { for: 'template' }, 'Start from a template'), template, inputs, firstAdmin, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Provision site')));
  const done = (created) => {
    const site = created.site;
    notice(`Site ${site.name} provisioned.`, true);
    outcome.replaceChildren(
      h('h2', {}, `${site.name} is provisioned`),
      created.firstAdmin ? h('p', { 'data-test': 'first-admin' }, `Site administrator ${created.firstAdmin.username}`, created.password ? [', password ', h('code', {}, created.password), ' (shown only now)'] : '') : null,
      h('p', {}, h('a', { href: `#/sites/${encodeURIComponent(site.id)}/setup` }, 'Set up its records: profiles, code tables, a dry run'), ' · ', h('a', { href: `#/sites/${encodeURIComponent(site.id)}` }, 'its page')),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    if (template.value) body.template = template.value;
    for (const [key, input] of Object.entries(fields)) {
      const value = input.value.trim();
      if (!value) continue;
      if (key === 'sourceCrs' || key === 'features') body[key] = value.split(',').map((v) => v.trim()).filter(Boolean);
      else if (key === 'bounds') body.bounds = value.split(',').map((v) => Number(v.trim()));
      else body[key] = value;
    }
    if (adminName.value.trim()) body.firstAdmin = { username: adminName.value.trim(), displayName: adminDisplay.value.trim() || undefined };
    try {
      done(await api('POST', '/sites', body));
    } catch (error) {
      failed(error);
    }
  });
  const zip = h('input', { type: 'file', id: 'site-zip', accept: '.zip,application/zip' });
  const zipForm = h('form', { class: 'card', 'data-test': 'zip-form' }, h('h2', {}, 'Or from a site folder'), h('p', { class: 'muted' }, 'A zip of the folder (site.cfg, plugins/, profiles/), as a site\'s "Download the site as its folder" gives it.'), h('label', { for: 'site-zip' }, 'Zipped folder'), zip, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Provision from the folder')));
  zipForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!zip.files.length) return notice('Choose the zipped folder first.');
    try {
      done(await upload(`/sites?${new URLSearchParams({ name: zip.files[0].name })}`, zip.files[0], 'POST', 'application/zip'));
    } catch (error) {
      failed(error);
    }
  });
  show(h('h1', {}, 'Provision a site'), h('p', { class: 'muted' }, 'Settings given here override the template. Provisioning checks everything first; nothing changes when anything is wrong.'), outcome, form, zipForm);
}

// --- users ---------------------------------------------------------------------------------------

/** One's own account: the password changed (a new account's generated one first of all), the second factor. */
async function accountPage() {
  const user = state.session.user;
  const current = h('input', { id: 'current-password', type: 'password', autocomplete: 'current-password' });
  const next = h('input', { id: 'new-password-own', type: 'password', autocomplete: 'new-password' });
  const form = h('form', { class: 'card', 'data-test': 'password-form' }, h('h2', {}, 'Change your password'), h('label', { for: 'current-password' }, 'Current password'), current, h('label', { for: 'new-password-own' }, 'New password (12+ characters)'), next, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Change password')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('PUT', `/users/${user.id}/password`, { currentPassword: current.value, newPassword: next.value });
      current.value = '';
      next.value = '';
      notice('Your password is changed.', true);
    } catch (error) {
      failed(error);
    }
  });
  show(h('h1', {}, user.displayName), h('p', { class: 'muted' }, `Signed in as ${user.username}. Roles: `, user.grants.map((g) => h('span', { class: 'pill' }, g.site === '*' ? g.role : `${g.role} at ${g.site}`))), form, await secondFactorCard(user, accountPage));
}

async function usersPage() {
  const [{ users }, { sites }] = await Promise.all([api('GET', '/users'), api('GET', '/sites')]);
  const adminSites = holds('tta-admin') ? sites.map((s) => s.id) : state.session.user.grants.filter((g) => g.role === 'site-admin').map((g) => g.site);
  const rows = users.map((u) =>
    h(
      'tr',
      { 'data-user': u.username },
      h('td', {}, u.displayName),
      h('td', {}, u.username),
      h('td', {}, u.grants.map((g) => h('span', { class: 'pill' }, g.site === '*' ? g.role : `${g.role} at ${g.site}`))),
      h('td', {}, !u.enabled ? 'disabled' : u.locked ? 'locked' : 'active'),
      h(
        'td',
        {},
        u.locked ? h('button', { type: 'button', class: 'secondary', onclick: () => act('POST', `/users/${u.id}/unlock`, undefined, `${u.username} unlocked.`) }, 'Unlock') : null,
        u.id !== state.session.user.id ? h('button', { type: 'button', class: 'secondary', onclick: () => act('PATCH', `/users/${u.id}`, { enabled: !u.enabled }, `${u.username} ${u.enabled ? 'disabled' : 'enabled'}.`) }, u.enabled ? 'Disable' : 'Enable') : null,
        u.id !== state.session.user.id ? h('button', { type: 'button', class: 'secondary', 'data-test': 'reset-second-factor', onclick: () => act('POST', `/users/${u.id}/second-factor/reset`, undefined, `${u.username}'s second factor is removed: they set it up again (an administrator at the next log-in).`) }, 'Reset second factor') : null,
      ),
    ),
  );
  const username = h('input', { id: 'new-username', autocomplete: 'off' });
  const displayName = h('input', { id: 'new-name', autocomplete: 'off' });
  const password = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password' });
  const role = h('select', { id: 'new-role' }, (holds('tta-admin') ? ROLES : SITE_ROLES).map((r) => h('option', { value: r }, r)));
  const site = h('select', { id: 'new-site' }, adminSites.map((s) => h('option', { value: s }, s)));
  const syncSite = () => {
    site.disabled = role.value.startsWith('tta-');
  };
  role.addEventListener('change', syncSite);
  syncSite();
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'New account' },
    h('h2', {}, 'New account'),
    h('div', { class: 'grid' }, h('div', {}, h('label', { for: 'new-username' }, 'User name'), username), h('div', {}, h('label', { for: 'new-name' }, 'Display name'), displayName), h('div', {}, h('label', { for: 'new-password' }, 'Password (12+ characters)'), password), h('div', {}, h('label', { for: 'new-role' }, 'Role'), role), h('div', {}, h('label', { for: 'new-site' }, 'Site'), site)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create account')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const grant = role.value.startsWith('tta-') ? { role: role.value } : { role: role.value, site: site.value };
    act('POST', '/users', { username: username.value.trim(), displayName: displayName.value.trim() || undefined, password: password.value, grants: [grant] }, `Account ${username.value.trim()} created.`);
  });
  show(h('h1', {}, 'Users'), table('users', ['Name', 'User name', 'Roles', 'State', ''], rows), form);
}

async function act(method, path, body, done) {
  try {
    await api(method, path, body);
    await route();
    notice(done, true);
  } catch (error) {
    failed(error);
  }
}

// --- audit ---------------------------------------------------------------------------------------

async function auditPage() {
  const mySites = state.session.user.grants.filter((g) => g.role === 'site-admin').map((g) => g.site);
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  if (!holds('tta-admin') && !params.get('site')) params.set('site', mySites[0]);
  const { entries, next } = await api('GET', `/audit?${params}`);
  const filters = {};
  const filterFields = [
    ['action', 'Action (e.g. access.denied)'],
    ['actor', 'Who (user name)'],
    ['from', 'From (day, UTC)'],
    ['to', 'Before (day, UTC)'],
  ].map(([key, label]) => {
    filters[key] = h('input', { id: `audit-${key}`, value: params.get(key) || '', type: key === 'from' || key === 'to' ? 'date' : 'text' });
    return h('div', {}, h('label', { for: `audit-${key}` }, label), filters[key]);
  });
  const outcome = h('select', { id: 'audit-outcome' }, ['', 'success', 'failure', 'denied'].map((o) => h('option', { value: o, selected: params.get('outcome') === o }, o || 'any')));
  const filterForm = h('form', { class: 'card', 'data-test': 'audit-filter' }, h('div', { class: 'grid' }, filterFields, h('div', {}, h('label', { for: 'audit-outcome' }, 'Outcome'), outcome)), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')));
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const wanted = new URLSearchParams();
    if (params.get('site')) wanted.set('site', params.get('site'));
    for (const [key, input] of Object.entries(filters)) if (input.value.trim()) wanted.set(key, input.value.trim());
    if (outcome.value) wanted.set('outcome', outcome.value);
    location.hash = `#/audit?${wanted}`;
  });
  const older = new URLSearchParams(params);
  if (next) older.set('before', String(next));
  const verify = holds('tta-admin')
    ? h('button', {
        type: 'button',
        class: 'secondary',
        onclick: async () => {
          try {
            const result = await api('GET', '/audit/verify');
            notice(result.intact ? `Audit chain intact: ${result.entries} entries checked.` : `Audit chain BROKEN at entry ${result.firstBrokenId}.`, result.intact);
          } catch (error) {
            failed(error);
          }
        },
      }, 'Verify the chain')
    : null;
  show(
    h('h1', {}, 'Audit log', params.get('site') ? ` — ${params.get('site')}` : ''),
    h('p', { class: 'muted' }, 'Most recent first. Times in UTC. ', verify),
    filterForm,
    table('audit', ['When (UTC)', 'Who', 'From', 'Site', 'Action', 'Target', 'Outcome', 'Detail'], entries.map((e) => h('tr', {}, h('td', {}, e.at.replace('T', ' ').replace('Z', '')), h('td', {}, e.event.actor), h('td', {}, e.event.from), h('td', {}, e.event.site), h('td', {}, e.event.action), h('td', {}, e.event.target), h('td', {}, e.event.outcome), h('td', {}, e.event.detail)))),
    next ? h('p', {}, h('a', { href: `#/audit?${older}`, 'data-test': 'audit-older' }, 'Older entries')) : null,
  );
}

// --- routing -------------------------------------------------------------------------------------

function notFound() {
  show(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/sites' }, 'Back to the sites')));
}

async function route() {
  const hash = location.hash || '#/sites';
  if (!state.session) {
    if (hash !== '#/login') location.hash = '#/login';
    renderChrome();
    loginPage();
    return;
  }
  renderChrome();
  const path = hash.slice(1).split('?')[0];
  const intervention = path.match(/^\/sites\/([^/]+)\/interventions\/(\d+)(?:\/([a-z-]+))?$/);
  const person = path.match(/^\/sites\/([^/]+)\/interventions\/(\d+)\/persons\/(\d+)$/);
  const team = path.match(/^\/sites\/([^/]+)\/team$/);
  const records = path.match(/^\/sites\/([^/]+)\/records$/);
  const setup = path.match(/^\/sites\/([^/]+)\/setup$/);
  const siteAddOns = path.match(/^\/sites\/([^/]+)\/addons$/);
  const mapped = path.match(/^\/sites\/([^/]+)\/map$/);
  const directory = path.match(/^\/sites\/([^/]+)\/directory$/);
  const followUps = path.match(/^\/sites\/([^/]+)\/follow-ups$/);
  const quarantine = path.match(/^\/sites\/([^/]+)\/imports\/(\d+)$/);
  const siteMaterials = path.match(/^\/sites\/([^/]+)\/materials$/);
  const siteMaterial = path.match(/^\/sites\/([^/]+)\/materials\/(\d+)$/);
  const material = path.match(/^\/materials\/(\d+)$/);
  const site = path.match(/^\/sites\/([^/]+)$/);
  try {
    await loadDefinition();
    if (path === '/login' || path === '/sites' || path === '/') await sitesPage();
    else if (intervention) await interventionPage(decodeURIComponent(intervention[1]), intervention[2], intervention[3] || 'checklist');
    else if (person) await personPage(decodeURIComponent(person[1]), person[2], person[3]);
    else if (team) await teamPage(decodeURIComponent(team[1]));
    else if (records) await recordsPage(decodeURIComponent(records[1]));
    else if (setup) await setupPage(decodeURIComponent(setup[1]));
    else if (siteAddOns) await siteAddOnsPage(decodeURIComponent(siteAddOns[1]));
    else if (mapped) await mapPage(decodeURIComponent(mapped[1]));
    else if (directory) await directoryPage(decodeURIComponent(directory[1]));
    else if (followUps) await followUpsPage(decodeURIComponent(followUps[1]));
    else if (quarantine) await quarantinePage(decodeURIComponent(quarantine[1]), quarantine[2]);
    else if (siteMaterials) await siteMaterialsPage(decodeURIComponent(siteMaterials[1]));
    else if (siteMaterial) await siteMaterialPage(decodeURIComponent(siteMaterial[1]), siteMaterial[2]);
    else if (path === '/materials') await materialsPage();
    else if (material) await materialPage(material[1]);
    else if (site) await sitePage(decodeURIComponent(site[1]));
    else if (path === '/overview') await overviewPage();
    else if (path === '/provision') await provisionPage();
    else if (path === '/addons') await addOnsPage();
    else if (path === '/users') await usersPage();
    else if (path === '/account') await accountPage();
    else if (path === '/audit') await auditPage();
    else notFound();
  } catch (error) {
    failed(error);
    if (error instanceof ApiError && error.status === 404) notFound();
  }
}

async function start() {
  try {
    state.session = await api('GET', '/session');
  } catch (error) {
    state.session = null;
    if (error instanceof ApiError && error.status === 503) {
      notice(error.message);
      show(h('h1', {}, 'The platform is not serving'), h('p', {}, error.message));
      return;
    }
  }
  window.addEventListener('hashchange', () => {
    notice(null);
    route();
  });
  route();
}

start();
