// DOM helpers: elements built from properties (text always as textContent), icons, and the
// one place where markup from the server enters the page.

/** An element with attributes, `text`, `class` and `on*` listeners, and children. */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}

/** A plain button (never a form submit). */
export const btn = (text, props = {}) => h('button', { type: 'button', part: 'button', ...props }, text);

/** A short id unique within the page, for label and description links. */
export const uid = () => `th-${Math.random().toString(36).slice(2, 8)}`;

export const ICONS = {
  like: 'M12 21s-7.5-4.6-9.6-9.3C1 8.4 3.1 5 6.6 5c2 0 3.4 1.1 4.1 2.3h2.6C14 6.1 15.4 5 17.4 5c3.5 0 5.6 3.4 4.2 6.7C19.5 16.4 12 21 12 21z',
  reply: 'M10 8V4L3 11l7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z',
  share: 'M18 16a3 3 0 0 0-2.4 1.2l-6.7-3.4a3 3 0 0 0 0-1.6l6.7-3.4A3 3 0 1 0 15 7l-6.7 3.4a3 3 0 1 0 0 3.2L15 17a3 3 0 1 0 3-1z',
  flag: 'M5 21V4h9l1 2h5v10h-7l-1-2H7v7z',
  edit: 'M4 17.3V20h2.7l8-8-2.7-2.7-8 8zM19.7 7.3a1 1 0 0 0 0-1.4l-1.6-1.6a1 1 0 0 0-1.4 0l-1.3 1.3 3 3 1.3-1.3z',
  mute: 'M3 9v6h4l5 5V4L7 9H3zm13.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z',
  bin: 'M7 21a2 2 0 0 1-2-2V7h14v12a2 2 0 0 1-2 2H7zM9 9v9h2V9H9zm4 0v9h2V9h-2zM4 4h5l1-1h4l1 1h5v2H4V4z',
};

/** A decorative SVG icon (hidden from assistive technology). */
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `ic ic-${name}`);
  const path = document.createElementNS(svg.namespaceURI, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

/* Defence in depth: the server already sanitises body_html; keep only a tiny allow-list. */
const KEEP = new Set(['p', 'br', 'a', 'em', 'strong']);
const DROP = new Set(['script', 'style', 'svg', 'math', 'iframe', 'object', 'embed', 'template',
  'noscript', 'img', 'video', 'audio', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta']);

function scrub(node) {
  for (const n of [...node.childNodes]) {
    if (n.nodeType === 3) continue;
    if (n.nodeType !== 1) { n.remove(); continue; }
    const tag = n.localName;
    if (!KEEP.has(tag)) {
      if (DROP.has(tag)) n.remove();
      else { scrub(n); n.replaceWith(...n.childNodes); }
      continue;
    }
    for (const a of [...n.attributes]) if (!(tag === 'a' && a.name === 'href')) n.removeAttribute(a.name);
    if (tag === 'a') {
      if (!/^(https?:|mailto:)/i.test(n.getAttribute('href') || '')) n.removeAttribute('href');
      n.setAttribute('rel', 'nofollow ugc noopener');
      n.setAttribute('target', '_blank');
    }
    scrub(n);
  }
}

/** The server-rendered comment body as a fragment, after the allow-list. */
export function bodyFragment(html) {
  const t = document.createElement('template');
  t.innerHTML = html || '';
  scrub(t.content);
  return t.content;
}
