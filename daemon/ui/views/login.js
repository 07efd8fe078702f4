// The login form: user name and password, the daemon's refusal said plainly (a wrong
// password, or how long to wait after too many).
import { post } from '../api.js';
import { h, notice } from '../dom.js';
import { language, setLanguage, t } from '../i18n.js';

export function loginView({ message, onLoggedIn }) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { class: 'status' }, message ? notice('error', message) : null);
  const button = h('button', { type: 'submit', class: 'primary' }, t('Log in'));
  const form = h('form', { class: 'login', onsubmit: async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    try {
      onLoggedIn(await post('/api/v1/session', { user: user.value.trim(), password: password.value }));
    } catch (e) {
      password.value = '';
      password.focus();
      status.replaceChildren(notice('error',
        e.status === 429 ? t('Too many wrong passwords: try again in {n} s', { n: e.retryAfter || 30 })
          : e.status === 401 ? t('Wrong user name or password')
            : e.status === 0 ? t('Cannot reach the daemon') : e.message));
    } finally {
      button.disabled = false;
    }
  } },
  h('h1', {}, t('fulfild')),
  h('label', {}, t('User name'), user),
  h('label', {}, t('Password'), password),
  button, status,
  h('button', { type: 'button', class: 'quiet', onclick: () => {
    setLanguage(language() === 'zh' ? 'en' : 'zh');
    form.replaceWith(loginView({ message, onLoggedIn }));
  } }, language() === 'zh' ? 'English' : '中文'));
  return form;
}
