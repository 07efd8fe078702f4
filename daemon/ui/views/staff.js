// Staff management for admins: users (add, roles, disable) and API tokens (add: shown once;
// revoke). Every change is the daemon's to audit.
import { get, post } from '../api.js';
import { h, notice, shortTime } from '../dom.js';
import { t } from '../i18n.js';

const allRoles = ['packer', 'picker', 'reviewer', 'problem_handler', 'customer_service', 'supervisor', 'admin'];

function roleBoxes(name, checked = []) {
  return h('span', { class: 'roles' }, allRoles.map((r) => h('label', {},
    h('input', { type: 'checkbox', name, value: r, checked: checked.includes(r) }), t(r))));
}
const picked = (el) => [...el.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);

export function staffView(main, me) {
  const status = h('div', { class: 'status' });
  const users = h('tbody');
  const tokens = h('tbody');
  const say = (kind, text) => status.replaceChildren(notice(kind, text));
  const attempt = (fn) => async (...a) => {
    try { await fn(...a); } catch (e) { say('error', e.message); }
  };

  async function refresh() {
    const [u, k] = await Promise.all([get('/api/v1/users'), get('/api/v1/tokens')]);
    users.replaceChildren(...u.users.map((user) => {
      const boxes = roleBoxes(`roles-${user.name}`, user.roles);
      return h('tr', { class: user.disabled ? 'disabled' : null, dataset: { user: user.name } },
        h('td', {}, user.name), h('td', {}, boxes),
        h('td', {}, h('button', { onclick: attempt(async () => {
          await post(`/api/v1/users/${encodeURIComponent(user.name)}`, { roles: picked(boxes) });
          say('ok', `${user.name}: ${t('Saved')}`);
          await refresh();
        }) }, t('Save roles')),
        user.name === me.user ? null : h('button', { class: 'quiet', onclick: attempt(async () => {
          await post(`/api/v1/users/${encodeURIComponent(user.name)}`, { disabled: !user.disabled });
          await refresh();
        }) }, user.disabled ? t('Enable') : t('Disable'))));
    }));
    tokens.replaceChildren(...k.tokens.map((tk) => h('tr', { class: tk.revoked_at ? 'disabled' : null },
      h('td', {}, tk.name), h('td', {}, t(tk.role)), h('td', {}, shortTime(tk.last_used_at)),
      h('td', {}, tk.revoked_at ? t('Revoked') : h('button', { class: 'warn', onclick: attempt(async () => {
        await post(`/api/v1/tokens/${encodeURIComponent(tk.name)}/revoke`);
        await refresh();
      }) }, t('Revoke'))))));
  }

  const newName = h('input', { name: 'name', required: true });
  const newPassword = h('input', { name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const newRoles = roleBoxes('new-roles', ['packer']);
  const addUser = h('form', { class: 'inline', onsubmit: attempt(async (ev) => {
    ev.preventDefault();
    await post('/api/v1/users', { name: newName.value.trim(), roles: picked(newRoles), password: newPassword.value });
    say('ok', `${newName.value}: ${t('Saved')}`);
    newName.value = newPassword.value = '';
    await refresh();
  }) }, h('label', {}, t('Name'), newName), h('label', {}, t('Password'), newPassword), newRoles,
  h('button', { type: 'submit', class: 'primary' }, t('Add user')));

  const tokenName = h('input', { name: 'token-name', required: true });
  const tokenRole = h('select', { name: 'token-role' }, allRoles.map((r) => h('option', { value: r }, t(r))));
  const shown = h('div');
  const addToken = h('form', { class: 'inline', onsubmit: attempt(async (ev) => {
    ev.preventDefault();
    const r = await post('/api/v1/tokens', { name: tokenName.value.trim(), role: tokenRole.value });
    shown.replaceChildren(notice('warn', t('Copy this token now: it is shown once')),
      h('code', { class: 'token' }, r.token));
    tokenName.value = '';
    await refresh();
  }) }, h('label', {}, t('Name'), tokenName), h('label', {}, t('Role'), tokenRole),
  h('button', { type: 'submit', class: 'primary' }, t('Add token')));

  main.replaceChildren(status,
    h('h2', {}, t('Users')), addUser,
    h('table', { class: 'users' }, h('thead', {}, h('tr', {}, h('th', {}, t('Name')), h('th', {}, t('Roles')), h('th'))), users),
    h('h2', {}, t('Tokens')), addToken, shown,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Name')), h('th', {}, t('Role')), h('th', {}, t('Last used')), h('th'))), tokens));
  refresh().catch((e) => say('error', e.message));
}
