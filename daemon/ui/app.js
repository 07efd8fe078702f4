// The staff UI's shell: who is logged in (GET /api/v1/session), the pages their roles give
// them, the language switch and logout. Pages live in views/, one per kind of work.
import { get, post, setCsrf, whenSessionEnds } from './api.js';
import { h, notice } from './dom.js';
import { language, setLanguage, t } from './i18n.js';
import { loginView } from './views/login.js';
import { packView } from './views/pack.js';
import { pickView } from './views/pick.js';
import { reviewView } from './views/review.js';
import { serviceView } from './views/service.js';
import { problemsView } from './views/problems.js';
import { staffView } from './views/staff.js';
import { auditView } from './views/audit.js';
import { dashboardView } from './views/dashboard.js';
import { accountView } from './views/account.js';
import { remindView } from './views/remind.js';
import { planningView } from './views/planning.js';

// Each page: its hash, its title, who may open it (the API checks again), its view.
const pages = [
  { id: 'dashboard', title: 'Dashboard', roles: ['supervisor', 'admin'], view: dashboardView },
  { id: 'pick', title: 'Picking', roles: ['picker', 'supervisor', 'admin'], view: pickView },
  { id: 'pack', title: 'Pack station', roles: ['packer', 'supervisor', 'admin'], view: packView },
  { id: 'review', title: 'Review', roles: ['reviewer', 'supervisor', 'admin'], view: reviewView },
  { id: 'service', title: 'Customer service', roles: ['customer_service', 'supervisor', 'admin'], view: serviceView },
  { id: 'remind', title: 'Payment reminders', roles: ['customer_service', 'supervisor', 'admin'], view: remindView },
  { id: 'problems', title: 'Problems', roles: ['problem_handler', 'supervisor', 'admin'], view: problemsView },
  { id: 'planning', title: 'Planning', roles: ['supervisor', 'admin'], view: planningView },
  { id: 'audit', title: 'Audit log', roles: ['supervisor', 'admin'], view: auditView },
  { id: 'staff', title: 'Staff', roles: ['admin'], view: staffView },
  { id: 'account', title: 'My account', roles: ['packer', 'picker', 'reviewer', 'problem_handler', 'customer_service', 'supervisor', 'admin'], view: accountView },
];

const app = document.getElementById('app');
let me = null;
let stopPage = null;  // the open page's cleanup (timers)

function mayOpen(page) {
  return me && page.roles.some((r) => me.roles.includes(r));
}

function showLogin(message) {
  me = null;
  setCsrf('');
  stopPage?.();
  stopPage = null;
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
  app.replaceChildren(loginView({ message, onLoggedIn: (session) => start(session) }));
}

function render() {
  stopPage?.();
  stopPage = null;
  const open = pages.filter(mayOpen);
  const wanted = location.hash.replace(/^#\/?/, '');
  const page = open.find((p) => p.id === wanted) ?? open[0];
  const main = h('main', { id: 'page' });
  const nav = h('nav', {}, open.map((p) =>
    h('a', { href: `#/${p.id}`, class: p === page ? 'current' : null }, t(p.title))));
  const langButton = h('button', { class: 'quiet', onclick: () => { setLanguage(language() === 'zh' ? 'en' : 'zh'); render(); } },
    language() === 'zh' ? 'English' : '中文');
  const logout = h('button', { class: 'quiet', onclick: async () => {
    try { await post('/api/v1/session/logout'); } catch {}
    showLogin();
  } }, t('Log out'));
  app.replaceChildren(
    h('header', {}, h('strong', { class: 'brand' }, t('fulfild')), nav,
      h('span', { class: 'who' }, me.user, ' · ', me.roles.map((r) => t(r)).join(', ')),
      langButton, logout),
    main);
  if (!page) {
    main.append(notice('info', t('Nothing here for your roles')));
    return;
  }
  document.title = `${t(page.title)} · fulfild`;
  stopPage = page.view(main, me) ?? null;
}

function start(session) {
  me = session;
  setCsrf(session.csrf);
  render();
}

whenSessionEnds(() => showLogin(t('Your session has ended: log in again')));
window.addEventListener('hashchange', () => { if (me) render(); });

get('/api/v1/session').then(start).catch((e) =>
  showLogin(e.status === 401 ? undefined : t('Cannot reach the daemon')));
