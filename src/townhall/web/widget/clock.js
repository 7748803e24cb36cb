// What changes with the clock while the page is open: relative times ("5 minutes ago") and
// edit countdowns, redrawn by the element's ticker.
import { ago, t } from './messages.js';

/** Redraw what depends on the clock: relative times and edit countdowns. */
export function tick(w) {
  const now = Date.now();
  for (const time of w.root.querySelectorAll('article time[datetime]')) {
    const when = ago(time.dateTime, now);
    if (time.textContent === when) continue;
    time.textContent = when;
    const art = time.closest('article');
    const label = art.querySelector('.meta > .sr-only');
    const reply = !!art.closest('ol.replies');
    label.textContent = t(reply ? 'replyFrom' : 'commentFrom', { name: art.querySelector('.name').textContent, when });
  }
  for (const el of w.root.querySelectorAll('[data-until]')) countdown(el, now);
}

/** An edit countdown (`data-until`, message `data-left`); the Edit button goes when time is up. */
export function countdown(el, now = Date.now()) {
  const left = Math.ceil((Date.parse(el.dataset.until) - now) / 60000);
  if (left > 0) {
    if (el.dataset.left) el.textContent = t(el.dataset.left, { count: left });
    return;
  }
  el.removeAttribute('data-until');
  if (el.localName === 'button') {
    if (el.matches(':focus')) {
      const art = el.closest('article');
      art.tabIndex = -1;
      art.focus();
    }
    el.remove();
  } else el.textContent = t('editExpired');
}
