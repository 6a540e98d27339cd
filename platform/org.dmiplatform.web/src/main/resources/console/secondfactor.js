// The second factor: a six-digit code from an authenticator app after the password. The log-in's second step (with
// an administrator's enrolment when they have none yet) and the account page's part: set it up, see it, turn it off.
// The QR code comes from the platform as a PNG data: URI (the CSP allows data: images, nothing from outside).

import { api, h, show, notice, failed } from './lib.js';

function codeInput(id) {
  return h('input', { id, name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9 ]{6,7}', maxlength: '7', required: true });
}

// The secret in groups of four, as apps show keys typed in by hand.
function grouped(secret) {
  return secret.match(/.{1,4}/g).join(' ');
}

// What an app is set up from: the QR code, and the key for typing in.
function enrolmentFigure(enrolment) {
  return h(
    'div',
    { 'data-test': 'enrolment' },
    h('p', {}, 'Scan this QR code with an authenticator app on your phone (for example FreeOTP, Google Authenticator or Microsoft Authenticator):'),
    h('img', { src: enrolment.qrCode, alt: 'QR code that sets up the authenticator app', width: '240', height: '240', class: 'qr' }),
    h('p', {}, 'Or type this key into the app: ', h('code', { 'data-test': 'totp-secret' }, grouped(enrolment.secret))),
    h('p', { class: 'muted' }, 'Keep the key to yourself; it is shown only now. Then give the code the app shows.'),
  );
}

/** The log-in's second step; onSession gets the session once the code is right. */
export function codeStep(pending, onSession, restart, enrolment) {
  const code = codeInput('code');
  const submit = h('button', { type: 'submit' }, enrolment ? 'Confirm and log in' : 'Log in');
  const form = h(
    'form',
    { class: 'card login', 'aria-label': 'Second factor' },
    h('h1', {}, enrolment ? 'Set up your second factor' : 'Second factor'),
    enrolment ? h('p', {}, 'Administrators log in with a code from an authenticator app as well as the password.') : null,
    enrolment ? enrolmentFigure(enrolment) : null,
    h('label', { for: 'code' }, 'Code from your authenticator app (6 digits)'),
    code,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'secondary', onclick: restart }, 'Start again')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      onSession(await api('POST', '/session/second-factor', { token: pending.token, code: code.value }));
    } catch (error) {
      failed(error);
      code.value = '';
      code.focus();
    } finally {
      submit.disabled = false;
    }
  });
  show(form);
  code.focus();
}

/** An administrator's log-in without a second factor: set it up, then the first code logs in. */
export async function enrolmentStep(pending, onSession, restart) {
  try {
    const enrolment = await api('POST', '/session/second-factor/enrolment', { token: pending.token });
    codeStep(pending, onSession, restart, enrolment);
  } catch (error) {
    failed(error);
    restart();
  }
}

/** The account page's card: the state, and setting up or turning off (an administrator's stays on). */
export async function secondFactorCard(user, reload) {
  const factor = await api('GET', `/users/${user.id}/second-factor`);
  const card = h('section', { class: 'card', 'data-test': 'second-factor', 'aria-labelledby': 'second-factor-title' }, h('h2', { id: 'second-factor-title' }, 'Second factor'));
  if (factor.active) {
    card.append(h('p', { 'data-test': 'second-factor-state' }, `On since ${factor.enrolledAt.slice(0, 10)}: every log-in asks for a code from your authenticator app.`));
    if (factor.required) {
      card.append(h('p', { class: 'muted' }, 'Administrators keep it on. For a new phone, ask another administrator to reset it on the Users page.'));
      return card;
    }
    const password = h('input', { id: 'off-password', type: 'password', autocomplete: 'current-password', required: true });
    const code = codeInput('off-code');
    const form = h('form', { 'aria-label': 'Turn the second factor off' }, h('label', { for: 'off-password' }, 'Current password'), password, h('label', { for: 'off-code' }, 'Code from your authenticator app'), code, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Turn off')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api('DELETE', `/users/${user.id}/second-factor`, { currentPassword: password.value, code: code.value });
        await reload();
        notice('The second factor is off: your password alone logs you in.', true);
      } catch (error) {
        password.value = '';
        code.value = '';
        failed(error);
      }
    });
    card.append(form);
    return card;
  }
  card.append(h('p', { 'data-test': 'second-factor-state' }, factor.required ? 'Off, but required for your account: you will set it up at your next log-in.' : 'Off. With it on, every log-in asks for a code from an authenticator app on your phone after the password, so a stolen password alone is not enough.'));
  // the password first, as for turning it off: a session left open must not set up someone else's phone
  const startPassword = h('input', { id: 'setup-password', type: 'password', autocomplete: 'current-password', required: true });
  const start = h('form', { 'aria-label': 'Set up the second factor' }, h('label', { for: 'setup-password' }, 'Current password'), startPassword, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Set up')));
  start.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const enrolment = await api('POST', `/users/${user.id}/second-factor`, { currentPassword: startPassword.value });
      startPassword.value = '';
      const code = codeInput('first-code');
      const form = h('form', { 'aria-label': 'Confirm the second factor' }, enrolmentFigure(enrolment), h('label', { for: 'first-code' }, 'Code from your authenticator app'), code, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Confirm')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api('PUT', `/users/${user.id}/second-factor`, { code: code.value });
          await reload();
          notice('The second factor is on: every log-in now asks for a code.', true);
        } catch (error) {
          code.value = '';
          failed(error);
        }
      });
      start.replaceWith(form);
      code.focus();
    } catch (error) {
      startPassword.value = '';
      failed(error);
    }
  });
  card.append(start);
  return card;
}
