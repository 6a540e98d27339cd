// What every console page shares: the API client, the session, building elements, notices.
// Text is always set with textContent, never parsed as HTML.

export const state = { session: null }; // { user, csrfToken, ... } while logged in

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthorized = () => {};
export function whenLoggedOut(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.session && method !== 'GET') headers['X-CSRF-Token'] = state.session.csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    // a refused log-in step (password or code) is not the end of a session
    if (response.status === 401 && !path.startsWith('/session')) {
      state.session = null;
      onUnauthorized();
    }
    throw new ApiError(response.status, data || {});
  }
  return data;
}

// Sends a file as the request body (an export to import), with the CSRF token; or, with a type, any text.
export async function upload(path, file, method = 'POST', type = undefined) {
  const contentType = type || (file.type && file.type !== 'application/json' ? file.type : 'application/octet-stream');
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': contentType, 'X-CSRF-Token': state.session.csrfToken },
    credentials: 'same-origin',
    body: file,
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data || {});
  return data;
}

// Posts a JSON body and saves the file the answer carries (a copy given out), named as the answer names it.
export async function download(path, body, fallbackName) {
  const response = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: { Accept: '*/*', 'Content-Type': 'application/json', 'X-CSRF-Token': state.session.csrfToken },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const text = await response.text();
    throw new ApiError(response.status, text ? JSON.parse(text) : {});
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: named ? named[1] : fallbackName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// h('p', {class: 'x'}, 'text', child) builds elements; strings become text nodes.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function show(...nodes) {
  document.getElementById('main').replaceChildren(...nodes.flat().filter(Boolean));
}

export function notice(message, ok = false, errors = []) {
  const box = document.getElementById('notice');
  if (!message) {
    box.hidden = true;
    return;
  }
  box.className = ok ? 'ok' : '';
  box.replaceChildren(h('span', {}, message));
  if (errors.length) box.append(h('ul', { class: 'errors' }, errors.map((e) => h('li', {}, describe(e)))));
  box.hidden = false;
}

function describe(error) {
  const where = [error.field && `${error.field}`, error.line && `line ${error.line}`].filter(Boolean).join(', ');
  return where ? `${where}: ${error.reason}` : error.reason;
}

export function failed(error) {
  if (error instanceof ApiError) {
    const rule = error.problem.rule ? ` (rule: ${error.problem.rule})` : '';
    const errors = error.problem.errors || [];
    // the detail repeats the errors listed under it: with a list, the title heads it, so nothing is said twice
    notice(errors.length ? `${error.problem.title || 'Refused'}:` : error.message + rule, false, errors);
  } else {
    notice(`The console could not reach the platform: ${error.message}`);
  }
}

export const holds = (role) => state.session && state.session.user.grants.some((g) => g.role === role);
export const holdsAt = (site, ...roles) =>
  state.session && state.session.user.grants.some((g) => roles.includes(g.role) && (g.site === site || g.site === '*'));
export const isNational = () => holds('tta-admin') || holds('tta-staff');
export const isAdmin = () => holds('tta-admin') || holds('site-admin');

// A table from a header row and rows of cells.
export function table(test, headers, rows) {
  return h(
    'table',
    { 'data-test': test },
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows),
  );
}

// A small form: fields are [name, label, type, options]; submit gets the values.
export function form(test, title, fields, submitLabel, submit) {
  const inputs = {};
  const rows = fields.map(([name, label, type = 'text', options]) => {
    const id = `${test}-${name}`;
    let input;
    if (type === 'select') input = h('select', { id, name }, options.map((o) => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
    else if (type === 'textarea') input = h('textarea', { id, name, rows: 2 });
    else if (type === 'checkbox') input = h('input', { id, name, type: 'checkbox' });
    else input = h('input', { id, name, type });
    inputs[name] = input;
    return h('div', {}, h('label', { for: id }, label), input);
  });
  const button = h('button', { type: 'submit' }, submitLabel);
  const el = h('form', { class: 'card', 'data-test': test, 'aria-label': title }, title ? h('h3', {}, title) : null, h('div', { class: 'grid' }, rows), h('div', { class: 'actions' }, button));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (input.type === 'checkbox') values[name] = input.checked;
      else if (input.value.trim() !== '') values[name] = input.value.trim();
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

// Runs an action, says it worked, then re-renders the page.
export async function act(action, done, rerender) {
  try {
    await action();
    await rerender();
    notice(done, true);
  } catch (error) {
    failed(error);
  }
}

export const kebabLabel = (id) => (id || '').replace(/-/g, ' ');
// An instant as the day and time in a site's time zone: 2026-11-30 14:05
export const atZone = (iso, zone) => new Date(iso).toLocaleString('sv', { timeZone: zone }).slice(0, 16);
// Today at the site (YYYY-MM-DD), whatever the browser's own zone
export const todayAt = (zone) => new Date().toLocaleString('sv', { timeZone: zone }).slice(0, 10);
// A calendar day (YYYY-MM-DD) moved by some days: day arithmetic only, no zone involved
export const addDays = (day, days) => {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
export const day = (iso) => (iso || '').slice(0, 10);
export const when = (iso) => (iso || '').replace('T', ' ').replace('Z', '').slice(0, 16);

// Text for Leaflet's tooltips, never HTML: labels come from uploaded layers, imported records and directories.
export function tip(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

// A Leaflet map whose base map is the site's own boundary layers (no tiles from outside), in a pane under everything
// drawn on it; fitted to the layers, else to the site's box. With tooltips, each polygon says its layer and label.
export async function siteMap(element, site, layers, bounds, tooltips = true) {
  const map = L.map(element, { zoomSnap: 0.25, attributionControl: false });
  map.createPane('base').style.zIndex = 350;
  const base = L.featureGroup().addTo(map);
  for (const layer of layers) {
    const geojson = await api('GET', `/sites/${site}/layers/${layer.name}`);
    L.geoJSON(geojson, {
      pane: 'base',
      style: { color: '#909497', weight: 1, fillColor: '#fdfefe', fillOpacity: 1 },
      onEachFeature: tooltips ? (f, l) => l.bindTooltip(tip(`${layer.label}: ${f.properties.label}`)) : undefined,
    }).addTo(base);
  }
  if (base.getLayers().length) map.fitBounds(base.getBounds());
  else if (bounds) map.fitBounds([[bounds.south, bounds.west], [bounds.north, bounds.east]]);
  else map.setView([20, 0], 2);
  return { map, base };
}
