// The add-ons: the records adapters, service directories, mapping and reporting the platform can run. National staff
// see every add-on, its versions, the sites listing it and whether it is bound there (the health report's view), and
// the files given to the platform; national administrators give it files and plan, then make, each change. A site's
// administrators see their site's add-ons and choose among the installed ones.

import { api, upload, h, show, notice, failed, holds, holdsAt, table } from './lib.js';

const KIND = { 'records-adapter': 'Records adapter', 'service-directory': 'Service directory', mapping: 'Mapping', reporting: 'Reporting' };

const installedOf = (addOn) => (addOn.versions.find((v) => v.installed) || {}).version;

function useCell(use) {
  return use.bound
    ? h('span', { class: 'bound' }, `${use.site}: bound (${use.servedBy})`, use.problem ? ` — ${use.problem}` : '')
    : h('span', { class: 'missing' }, `${use.site}: not bound — ${use.problem}`);
}

export async function addOnsPage() {
  const { addOns, files } = await api('GET', '/addons');
  const admin = holds('tta-admin');
  const planBox = h('section', { class: 'card', id: 'addon-plan', 'aria-live': 'polite', 'data-test': 'addon-plan', hidden: true });
  const rows = addOns.map((a) => h('tr', { 'data-test': 'addon', 'data-feature': a.feature },
    h('th', { scope: 'row' }, a.feature, h('div', { class: 'muted' }, a.description)),
    h('td', {}, KIND[a.kind] || a.kind),
    h('td', {}, h('ul', { class: 'plain' }, a.versions.map((v) => h('li', {}, v.installed ? h('strong', {}, `${v.version} (installed)`) : v.version, h('span', { class: 'muted' }, ` from ${v.source}`))))),
    h('td', {}, a.uses.length ? h('ul', { class: 'plain' }, a.uses.map((u) => h('li', { 'data-test': 'addon-use' }, useCell(u)))) : h('span', { class: 'muted' }, 'no site lists it')),
    admin ? h('td', {}, changeForm(a, planBox)) : null));
  const headers = ['Add-on', 'Kind', 'Versions', 'Sites'];
  if (admin) headers.push('Change');
  show(
    h('h1', {}, 'Add-ons'),
    h('p', { class: 'muted' }, 'What is installed is the platform\'s own record (the same feature:list shows in the shell); which site uses what is each site\'s features. Every change is planned first: nothing that would restart the platform or another site\'s plug-ins is made.'),
    table('addons', headers, rows),
    planBox,
    h('h2', {}, 'Add-on files'),
    files.length
      ? table('addon-files', ['File', 'SHA-256', 'Brings', 'Checked'], files.map((f) => h('tr', { 'data-test': 'addon-file' },
          h('td', {}, f.name), h('td', {}, h('code', {}, f.sha256)), h('td', {}, f.features.join(', ')),
          h('td', {}, f.accepted ? 'sound' : h('ul', { class: 'errors' }, f.problems.map((p) => h('li', {}, p)))))))
      : h('p', { class: 'muted' }, 'No add-on file has been given to the platform. Files dropped into the data folder\'s addons/ are checked and listed here.'),
    admin ? fileForm() : null,
  );
}

// Plans the change chosen; the plan says what Karaf would do, and only an allowed plan can be made.
function changeForm(addOn, planBox) {
  const installed = installedOf(addOn);
  const choices = [];
  if (!installed) addOn.versions.forEach((v) => choices.push(['install', v.version, `Install ${v.version}`]));
  else {
    addOn.versions.filter((v) => !v.installed).forEach((v) => choices.push(['swap', v.version, `Swap to ${v.version}`]));
    choices.push(['uninstall', installed, `Remove ${installed}`]);
  }
  const id = `change-${addOn.feature}`;
  const select = h('select', { id }, choices.map(([action, version, label]) => h('option', { value: `${action} ${version}` }, label)));
  const button = h('button', { type: 'submit', class: 'secondary' }, 'Plan');
  const el = h('form', { class: 'card', 'data-test': 'addon-change', 'aria-label': `Change ${addOn.feature}` },
    h('label', { for: id }, 'Change'), select, h('div', { class: 'actions' }, button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [action, version] = select.value.split(' ');
    button.disabled = true;
    try {
      showPlan(planBox, await api('POST', '/addons/plans', { action, feature: addOn.feature, version }));
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

function list(title, items) {
  return items.length ? [h('h3', {}, title), h('ul', {}, items.map((i) => h('li', {}, i)))] : [];
}

function showPlan(box, plan) {
  const { change } = plan;
  const make = h('button', { type: 'button', 'data-test': 'addon-make', disabled: !plan.allowed }, `Make this change: ${change.action} ${change.feature} ${change.version}`);
  make.addEventListener('click', async () => {
    make.disabled = true;
    notice(`Working: ${change.action} ${change.feature} ${change.version}…`, true);
    try {
      const outcome = await api('POST', '/addons/changes', change);
      await addOnsPage();
      notice(`Done in ${outcome.millis} ms: ${outcome.summary}.`, true);
    } catch (error) {
      failed(error);
      make.disabled = false;
    }
  });
  box.replaceChildren(
    h('h2', {}, `Plan: ${change.action} ${change.feature} ${change.version}`),
    plan.allowed ? h('p', { class: 'bound' }, 'Allowed: only the add-on\'s own bundles change.') : h('p', { class: 'missing' }, 'Refused; nothing would be changed.'),
    plan.refusals.length ? h('ul', { class: 'errors' }, plan.refusals.map((r) => h('li', {}, r))) : null,
    plan.sites.length ? h('p', {}, `Sites listing it: ${plan.sites.join(', ')}`) : null,
    ...list('Bundles to install', plan.install),
    ...list('Bundles to update', plan.update),
    ...list('Bundles to remove', plan.uninstall),
    ...list('Bundles to refresh', plan.refresh),
    plan.report.length ? [h('h3', {}, 'Karaf\'s deployment report'), h('pre', { 'data-test': 'karaf-report' }, plan.report.join('\n'))] : null,
    h('div', { class: 'actions' }, make),
  );
  box.hidden = false;
  box.querySelector('h2').setAttribute('tabindex', '-1');
  box.querySelector('h2').focus();
}

function fileForm() {
  const file = h('input', { id: 'addon-file', type: 'file', accept: '.kar', required: true });
  const sha = h('input', { id: 'addon-sha', autocomplete: 'off', spellcheck: 'false' });
  const button = h('button', { type: 'submit' }, 'Give the file to the platform');
  const el = h('form', { class: 'card', 'data-test': 'addon-upload', 'aria-label': 'Give the platform an add-on file' },
    h('h3', {}, 'Give the platform an add-on file'),
    h('p', { class: 'muted' }, 'A Karaf archive (.kar) with a new version of an add-on. It is checked before anything of it is used; nothing is installed until you plan and make a change.'),
    h('div', { class: 'grid' },
      h('div', {}, h('label', { for: 'addon-file' }, 'File (.kar)'), file),
      h('div', {}, h('label', { for: 'addon-sha' }, 'SHA-256 its sender published (optional)'), sha)),
    h('div', { class: 'actions' }, button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    button.disabled = true;
    try {
      const query = new URLSearchParams({ name: chosen.name });
      if (sha.value.trim()) query.set('sha256', sha.value.trim());
      const kept = await upload(`/addons/files?${query}`, chosen, 'POST', 'application/octet-stream');
      await addOnsPage();
      notice(`Kept ${kept.name}: it brings ${kept.features.join(', ')}.`, true);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

// A site's add-ons: what its administrators choose from.
export async function siteAddOnsPage(site) {
  const [{ addOns }, detail] = await Promise.all([api('GET', `/sites/${encodeURIComponent(site)}/addons`), api('GET', `/sites/${encodeURIComponent(site)}`)]);
  const listed = new Set(detail.site.features);
  const canChoose = holdsAt(site, 'site-admin', 'tta-admin', 'tta-staff');
  const use = async (feature) => {
    try {
      await api('PUT', `/sites/${encodeURIComponent(site)}`, { features: [...listed, feature] });
      await siteAddOnsPage(site);
      notice(`${feature} is listed for the site; give it its settings on the site's setup page.`, true);
    } catch (error) {
      failed(error);
    }
  };
  const replaceBox = h('section', { class: 'card', 'aria-live': 'polite', 'data-test': 'addon-replace', hidden: true });
  // another installed add-on of a kind the site has: it takes over with no moment without one
  const replaceForm = (from, to) => {
    const id = 'replace-settings';
    const settings = h('textarea', { id, rows: 3, spellcheck: 'false' });
    const button = h('button', { type: 'submit' }, `Use ${to} instead of ${from}`);
    const el = h('form', { 'aria-label': `Replace ${from} with ${to}` },
      h('h2', {}, `${to} instead of ${from}`),
      h('p', { class: 'muted' }, `${to} is configured and bound first, then serves; ${from} is removed once its calls have ended.`),
      h('label', { for: id }, `Settings of ${to}, one "key = value" a line (for example profile = calls.json)`), settings,
      h('div', { class: 'actions' }, button));
    el.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {};
      for (const line of settings.value.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      button.disabled = true;
      try {
        const done = await api('POST', `/sites/${encodeURIComponent(site)}/addons/replacements`, { from, to, settings: values });
        await siteAddOnsPage(site);
        notice(`Done in ${done.millis} ms: ${done.summary}.`, true);
      } catch (error) {
        failed(error);
        button.disabled = false;
      }
    });
    replaceBox.replaceChildren(el);
    replaceBox.hidden = false;
    settings.focus();
  };
  const listedOfKind = (kind) => addOns.filter((o) => o.listed && o.kind === kind).map((o) => o.feature);
  const rows = addOns.map((a) => h('tr', { 'data-test': 'site-addon', 'data-feature': a.feature },
    h('th', { scope: 'row' }, a.feature, h('div', { class: 'muted' }, a.description)),
    h('td', {}, KIND[a.kind] || a.kind),
    h('td', {}, a.installed || h('span', { class: 'muted' }, 'not installed')),
    h('td', {}, a.listed ? (a.use ? useCell(a.use) : 'listed') : h('span', { class: 'muted' }, 'not used here')),
    h('td', {}, !canChoose || a.listed ? null
      : a.installed ? [
          h('button', { type: 'button', class: 'secondary', 'data-test': 'site-addon-use', onclick: () => use(a.feature) }, `Use ${a.feature}`),
          ...listedOfKind(a.kind).map((from) => h('button', { type: 'button', class: 'secondary', 'data-test': 'site-addon-replace', onclick: () => replaceForm(from, a.feature) }, `Use instead of ${from}`)),
        ]
        : h('span', { class: 'muted' }, 'a national administrator installs it first'))));
  show(
    h('h1', {}, `Add-ons — ${detail.site.name}`),
    h('p', {}, h('a', { href: `#/sites/${encodeURIComponent(site)}` }, '← site')),
    h('p', { class: 'muted' }, 'The add-ons this site lists and whether each is bound now. An installed add-on can be used here, then given its settings on the site\'s setup page; to stop using one, remove its settings there and its name from the site\'s features.'),
    table('site-addons', ['Add-on', 'Kind', 'Installed', 'At this site', ''], rows),
    replaceBox,
  );
}
