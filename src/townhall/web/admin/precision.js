// How often moderators agreed with the automatic holds, per guideline, over the last 30 days:
// a panel under the Pending queue, where those holds are decided.
import { get } from './api.js';
import { h } from './dom.js';
import { currentLanguage, label, t } from './i18n.js';

const DAYS = 30;

/** The panel; its table fills in when the numbers arrive (a failure leaves a short note). */
export function precisionPanel() {
  const number = new Intl.NumberFormat(currentLanguage());
  const percent = new Intl.NumberFormat(currentLanguage(), { style: 'percent', maximumFractionDigits: 1 });
  const body = h('tbody');
  const table = h('table', { class: 'precision' },
    h('caption', { text: t('precision.caption') }),
    h('thead', {}, h('tr', {}, ...['precision.guideline', 'precision.decided', 'precision.approved',
      'precision.rejected', 'precision.precision'].map((id, i) => h('th', { scope: 'col', class: i ? 'num' : null,
      text: t(id) })))),
    body);
  const section = h('section', { class: 'precision-panel', 'aria-labelledby': 'precision-title' },
    h('h2', { id: 'precision-title', text: t('precision.title', { count: DAYS }) }),
    h('p', { class: 'meta', text: t('precision.explain') }), table);
  get(`/api/v1/moderation/precision?days=${DAYS}`).then((data) => {
    for (const r of data.guidelines) {
      body.append(h('tr', {},
        h('th', { scope: 'row', text: label(`guideline.${r.guideline}`, r.guideline) }),
        ...[r.decided, r.approved, r.rejected].map((n) => h('td', { class: 'num', text: number.format(n) })),
        h('td', { class: 'num', text: r.precision === null ? '–' : percent.format(r.precision) })));
    }
    if (!data.guidelines.length) body.append(h('tr', {}, h('td', { colspan: '5', text: t('precision.none', { count: DAYS }) })));
  }).catch(() => {
    body.append(h('tr', {}, h('td', { colspan: '5', text: t('precision.failed') })));
  });
  return section;
}
