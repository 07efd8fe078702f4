// A small element builder: h('button', {class: 'primary', onclick}, 'Approve').
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// "2026-11-11T10:02:03+08:00" as "11-11 10:02" (the daemon already speaks Shanghai time).
export function shortTime(iso) {
  if (!iso) return '';
  return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
}

// A message line that says what went wrong, in the page (never an alert box).
export function notice(kind, text) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
