// Small DOM helpers: every text goes in through textContent; only server-sanitized
// comment HTML (body_html from the API) is ever inserted as markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function trustedBody(html) {
  // body_html is rendered and sanitized by the server (townhall.render).
  const div = h('div', { class: 'body' });
  div.innerHTML = html;
  return div;
}

let uid = 0;
export function nextId(prefix = 'id') {
  uid += 1;
  return `${prefix}-${uid}`;
}

export function field(label, input, hint) {
  const id = input.id || nextId('f');
  input.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  if (input.type === 'checkbox') {
    return h('div', { class: 'field check' }, input, h('label', { for: id, text: label }), hintEl);
  }
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), input, hintEl);
}

// Only http(s) pages are linked: an absolute http(s) address, or a path with exactly one
// leading slash. Browsers read `//evil`, `/\\evil` and `https:evil` as other hosts.
export function safeHref(url) {
  if (typeof url !== 'string' || /[\u0000-\u0020\u007f\\]/.test(url)) return null;
  if (/^\/(?!\/)/.test(url)) return url;
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password
      ? u.href : null;
  } catch { return null; }
}
