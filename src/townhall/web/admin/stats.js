// Moderation statistics: comments per hour, holds and rejections per guideline, waiting
// times, decisions per moderator, appeals and the busiest stories, as SVG charts and tables.
import { get, query } from './api.js';
import { columnChart, stackedBars } from './charts.js';
import { clear, field, h } from './dom.js';
import { label, t } from './i18n.js';

const PERIODS = [1, 7, 30, 90];

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const minutes = Math.round(seconds / 60);
  return t('transparency.duration', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function table(caption, head, rows) {
  return h('table', {}, h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col', text: x })))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((x, i) => (i === 0
      ? h('th', { scope: 'row', text: String(x) }) : h('td', { text: String(x) })))))));
}

export async function statsView(ui, root, params) {
  const days = PERIODS.includes(Number(params.days)) ? Number(params.days) : 7;
  clear(root).append(h('p', { text: t('user.loading') }));
  let s;
  try { s = await get(`/api/v1/moderation/stats${query({ days })}`); } catch (err) { ui.fail(err); return; }
  const n = new Intl.NumberFormat(document.documentElement.lang);
  const fmt = (v) => n.format(v);
  const period = h('select', { name: 'days' }, ...PERIODS.map((d) => h('option', { value: String(d), text: t('stats.days', { count: d }) })));
  period.value = String(days);
  period.addEventListener('change', () => ui.go(`#/stats?days=${period.value}`));

  const hours = s.comments_per_hour.map((x) => ({
    label: new Date(`${x.hour}:00Z`).toLocaleString(document.documentElement.lang, { dateStyle: 'short', timeStyle: 'short' }),
    tick: new Date(`${x.hour}:00Z`).toLocaleDateString(document.documentElement.lang, { day: 'numeric', month: 'short' }),
    value: x.count,
  }));
  const peak = hours.reduce((best, x) => (x.value > best.value ? x : best), { value: 0, label: '–' });
  const perHour = columnChart(hours, {
    label: t('stats.perHourSummary', { count: s.comments, peak: peak.value, at: peak.label }),
    every: days === 1 ? 6 : 24 * Math.max(1, Math.round(days / 7)), format: fmt,
  });
  const kinds = { held: t('stats.held'), rejected: t('stats.rejected') };
  const guidelines = Object.entries(s.guidelines).map(([g, v]) => ({
    label: label(`guideline.${g}`, g),
    parts: [{ kind: 'held', value: v.held }, { kind: 'rejected', value: v.rejected }],
  }));
  const moderators = s.decisions.map((d) => ({
    label: d.name || t('card.user', { id: d.id }),
    parts: [{ kind: 'approved', value: d.approved }, { kind: 'rejected', value: d.rejected }],
  }));
  const a = s.appeals;
  const decided = a.upheld + a.overturned;
  const rate = a.overturn_rate === null ? '–'
    : new Intl.NumberFormat(document.documentElement.lang, { style: 'percent' }).format(a.overturn_rate);
  const section = (title, ...body) => h('section', { class: 'stat' }, h('h2', { text: title }), ...body);
  const empty = () => h('p', { class: 'meta', text: t('stats.empty') });
  clear(root).append(
    h('h1', { text: t('stats.title') }),
    h('form', { class: 'inline', 'aria-label': t('stats.period') }, field(t('stats.period'), period)),
    h('dl', { class: 'facts' },
      h('dt', { text: t('stats.comments') }), h('dd', { text: fmt(s.comments) }),
      h('dt', { text: t('stats.pending') }), h('dd', { text: fmt(s.pending) }),
      h('dt', { text: t('stats.ageP50') }), h('dd', { text: duration(s.pending_age_seconds.p50) }),
      h('dt', { text: t('stats.ageP90') }), h('dd', { text: duration(s.pending_age_seconds.p90) }),
      h('dt', { text: t('stats.ageMax') }), h('dd', { text: duration(s.pending_age_seconds.p100) }),
      h('dt', { text: t('stats.overturn') }),
      h('dd', { text: t('stats.overturnValue', { overturned: a.overturned, count: decided, rate }) })),
    section(t('stats.perHour'), perHour),
    section(t('stats.guidelines'), guidelines.length ? stackedBars(guidelines, { label: t('stats.guidelines'), names: kinds, format: fmt }) : empty(),
      guidelines.length ? table(t('stats.guidelines'), [t('filter.guideline'), kinds.held, kinds.rejected],
        Object.entries(s.guidelines).map(([g, v]) => [label(`guideline.${g}`, g), fmt(v.held), fmt(v.rejected)])) : null),
    section(t('stats.moderators'), moderators.length
      ? stackedBars(moderators, { label: t('stats.moderators'), names: { approved: t('stats.approved'), rejected: kinds.rejected }, format: fmt })
      : empty()),
    section(t('stats.stories'), s.top_stories.length ? table(t('stats.stories'),
      [t('stats.story'), t('stats.count'), kinds.held, kinds.rejected],
      s.top_stories.map((x) => [x.title || x.id, fmt(x.comments), fmt(x.held), fmt(x.rejected)])) : empty()),
    h('p', {}, h('a', { href: '/transparency', text: t('stats.transparency') })));
}
