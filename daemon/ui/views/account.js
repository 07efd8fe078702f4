// A person's own account (我的账号): who they are, their roles, and changing their password
// (the current one is asked; their sessions elsewhere end, this browser stays logged in).
import { post, setCsrf } from '../api.js';
import { h, notice } from '../dom.js';
import { t } from '../i18n.js';

export function accountView(main, me) {
  const status = h('div', { class: 'status' });
  const current = h('input', { name: 'current', type: 'password', autocomplete: 'current-password', required: true });
  const fresh = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const again = h('input', { name: 'again', type: 'password', autocomplete: 'new-password', required: true });
  const form = h('form', { class: 'login account', onsubmit: async (ev) => {
    ev.preventDefault();
    if (fresh.value !== again.value) {
      status.replaceChildren(notice('error', t('The two new passwords differ')));
      return;
    }
    try {
      const session = await post('/api/v1/session/password', { current: current.value, password: fresh.value });
      setCsrf(session.csrf);
      form.reset();
      status.replaceChildren(notice('ok', t('Password changed: your other sessions have ended')));
    } catch (e) {
      status.replaceChildren(notice('error', e.code === 'wrong_password' ? t('The current password is not right')
        : e.status === 429 ? t('Too many wrong passwords: try again in {n} s', { n: e.retryAfter }) : e.message));
    }
  } },
  h('h2', {}, t('Change password')),
  h('label', {}, t('Current password'), current),
  h('label', {}, t('New password (at least 10 characters)'), fresh),
  h('label', {}, t('New password again'), again),
  h('button', { type: 'submit', class: 'primary' }, t('Change password')));
  main.replaceChildren(h('h1', {}, me.user), h('p', {}, me.roles.map((r) => t(r)).join(', ')), status, form);
  current.focus();
}
