// The section's frame: heading, guidelines, stream tabs, sort menu, list, load-more and the
// status region. `w` is the <townhall-comments> element; the parts it keeps are set on it.
import { btn, h } from './dom.js';
import { picksBlock, pinnedBlock } from './editorial.js';

const SORTS = ['newest', 'oldest', 'most_liked', 'best'];

/** Build the empty frame into the shadow root, showing skeleton rows until the first page. */
export function build(w) {
  const { t } = w.i18n;
  // The one status region: read out by screen readers and shown as a toast at the bottom of
  // the screen while the section is in view, so every confirmation and failure is visible.
  w.status = h('div', { role: 'status', class: 'toast', part: 'status' });
  w.heading = h('h2', { id: 'th-h', part: 'heading', tabindex: '-1' }, t('heading'));
  w.countEl = h('span', { class: 'count' });
  w.heading.append(w.countEl);
  w.intro = h('p', { class: 'intro' }, t('intro'));
  w.rules = h('div', { role: 'region', 'aria-label': t('guidelinesRegion'), part: 'guidelines',
    class: 'rules', hidden: true });
  w.tabs = h('div', { class: 'tabs', hidden: true });
  w.notice = h('div', { class: 'notice-area' });
  w.account = h('div', { class: 'account', part: 'account' });
  w.space = h('div', { class: 'space', id: 'th-space', part: 'account-space', hidden: true });
  w.composerArea = h('div', { class: 'composer-area' });
  w.sortSel = h('select', { id: 'th-sort', onchange: () => {
    w.sort = w.sortSel.value;
    w.load({ focusList: true });
  } }, SORTS.map((v) => h('option', { value: v }, t(`sort.${v}`))));
  w.sortSel.value = w.sort;
  // Threads, or every comment in one list in time order; on a Q&A story, answered ones only.
  w.viewSel = h('select', { id: 'th-view', onchange: () => {
    w.view = w.viewSel.value;
    w.load({ focusList: true });
  } }, ['threaded', 'flat'].map((v) => h('option', { value: v }, t(`view.${v}`))));
  w.viewSel.value = w.view;
  w.qaSel = h('select', { id: 'th-qa', onchange: () => {
    w.answered = w.qaSel.value === 'answered';
    w.load({ focusList: true });
  } }, [['all', t('qa.all')], ['answered', t('qa.answered')]].map(([v, l]) => h('option', { value: v }, l)));
  w.qaSel.value = w.answered ? 'answered' : 'all';
  w.qaBox = h('span', { class: 'tool', hidden: true }, h('label', { for: 'th-qa' }, t('qa.filter')), w.qaSel);
  w.likesNote = h('p', { class: 'likes-closed', hidden: true }, t('likes.closed'));
  w.toolbar = h('div', { class: 'toolbar', hidden: true },
    h('span', { class: 'tool' }, h('label', { for: 'th-sort' }, t('sortBy')), w.sortSel),
    h('span', { class: 'tool' }, h('label', { for: 'th-view' }, t('view.label')), w.viewSel),
    w.qaBox, w.likesNote);
  w.newBtn = btn('', { class: 'newbar', hidden: true, onclick: () => w.showFresh() });
  w.listHead = h('h3', { class: 'sr-only', id: 'th-list', tabindex: '-1' }, t('listHeading'));
  w.list = h('ol', { class: 'list', part: 'list', 'aria-labelledby': 'th-list', 'aria-busy': 'true' });
  w.stateEl = h('div', { class: 'state' });
  w.moreBtn = btn(t('loadMore'), { class: 'more', part: 'button load-more', hidden: true,
    onclick: () => w.load({ append: true }) });
  w.footer = h('p', { class: 'foot', hidden: true },
    btn(t('topOfComments'), { class: 'link', onclick: () => {
      w.heading.focus({ preventScroll: true });
      w.heading.scrollIntoView({ block: 'start' });
    } }));
  w.panel = h('div', { id: 'th-panel', class: 'panel' },
    w.rules, w.account, w.space, w.composerArea, pinnedBlock(w), picksBlock(w), w.toolbar, w.newBtn,
    w.listHead, w.list,
    w.stateEl, w.moreBtn, w.footer);
  const skip = btn(t('skip'), { class: 'skip', onclick: () => {
    const target = w.root.querySelector('.composer textarea, .account input, .account button');
    if (target) target.focus();
  } });
  w.section = h('section', { class: 'th', part: 'root', 'aria-labelledby': 'th-h',
    lang: w.i18n.tag, dir: w.i18n.dir },
    skip, h('header', { class: 'head', part: 'header' }, w.heading, w.intro),
    w.tabs, w.notice, w.panel, w.status);
  w.root.replaceChildren(w.section);
  skeleton(w);
}

/**
 * Three placeholder rows while the first page loads; when the page put the server-rendered
 * comments inside the element (comments.html), those stay on show until the widget's own.
 */
export function skeleton(w) {
  const { t } = w.i18n;
  w.list.setAttribute('aria-busy', 'true');
  if (w.querySelector(':scope > [data-townhall-static]')) {
    w.list.replaceChildren();
    w.stateEl.replaceChildren(h('div', { class: 'static' }, h('slot')));
    return;
  }
  w.list.replaceChildren(...[0, 1, 2].map(() => h('li', { class: 'sk', 'aria-hidden': 'true' },
    h('span', { class: 'sk-a' }), h('span', { class: 'sk-b' }), h('span', { class: 'sk-c' }))));
  w.stateEl.replaceChildren(h('p', { class: 'sr-only' }, t('loading')));
}

/** Fill in what the site and story settings say: heading, guidelines, and the stream tabs. */
export function renderMeta(w) {
  const { t } = w.i18n;
  const site = w.site;
  // A site's own heading, call to action and guidelines are the publisher's words in every
  // language; left empty, the reader gets the catalogue's in theirs.
  if (site.heading) w.heading.firstChild.textContent = site.heading;
  if (site.call_to_action) w.intro.textContent = site.call_to_action;
  // A story's own question replaces the call to action; a Q&A story says how it works.
  const story = w.story || {};
  if (story.prompt || story.qa_mode) w.intro.textContent = story.prompt || t('qa.intro');
  w.intro.classList.toggle('prompt', !!story.prompt);
  const rules = site.guidelines && site.guidelines.length ? site.guidelines
    : w.i18n.ids('guidelines.').map((id) => t(id));
  // The guidelines in full above each stream's form, as the modelled page shows them.
  w.rules.replaceChildren(h('p', { class: 'cta' }, t('respectful')),
    h('ul', null, rules.map((g) => h('li', null, g))));
  if (site.guidelines_url) {
    w.rules.append(h('p', null, h('a', { href: site.guidelines_url, target: '_blank', rel: 'noopener' },
      t('guidelinesFull'))));
  }
  w.rules.hidden = false;
  const premium = w.story && w.story.premium_enabled;
  w.tabs.hidden = !premium;
  if (premium) {
    const list = h('div', { role: 'tablist', 'aria-label': t('streams'), part: 'tabs' },
      [['premium', premiumName(w)], ['open', t('openStream')]].map(([id, label]) => {
        const on = w.stream === id;
        const tab = btn(label, {
          role: 'tab', id: `th-tab-${id}`, part: 'tab', 'data-stream': id, 'aria-controls': 'th-panel',
          'aria-selected': String(on), tabindex: on ? '0' : '-1', onclick: () => switchTo(w, id),
        });
        tab.append(h('span', { class: 'count' }));
        return tab;
      }));
    list.addEventListener('keydown', (e) => {
      const keys = { ArrowLeft: -1, ArrowRight: 1, Home: -2, End: 2 };
      if (!(e.key in keys)) return;
      e.preventDefault();
      const tabs = [...list.children];
      const i = tabs.indexOf(w.root.activeElement);
      // Right to left, the arrow keys follow the tabs as laid out: left is the next one.
      const step = w.i18n.dir === 'rtl' && Math.abs(keys[e.key]) === 1 ? -keys[e.key] : keys[e.key];
      const next = step === -2 ? 0 : step === 2 ? tabs.length - 1 : (i + step + tabs.length) % tabs.length;
      tabs[next].focus();
      switchTo(w, tabs[next].dataset.stream);
    });
    w.tabs.replaceChildren(list, site.learn_more_url ? learnMore(w, 'learn') : '');
    w.panel.setAttribute('role', 'tabpanel');
    w.panel.setAttribute('aria-labelledby', `th-tab-${w.stream}`);
  } else {
    w.panel.removeAttribute('role');
    w.panel.removeAttribute('aria-labelledby');
  }
  w.toolbar.hidden = false;
  w.qaBox.hidden = !(w.story && w.story.qa_mode);
  w.likesNote.hidden = !(w.story && w.story.likes_closed);
}

/** The Premium stream's name ("The Daily Ledger Premium" unless the site names it). */
export const premiumName = (w) => (w.site && w.site.premium_label) || w.i18n.t('premium');

/** "Learn more" about the Premium stream, named in full for assistive technology. */
export function learnMore(w, cls = null) {
  const { t } = w.i18n;
  return h('a', { class: cls, part: 'learn-more', href: w.site.learn_more_url, target: '_blank', rel: 'noopener' },
    t('learnMore'), h('span', { class: 'sr-only' }, ` ${t('aboutPremium', { premium: premiumName(w) })}`));
}

/** Show the total in the heading and each stream's own count on its tab. */
export function renderCounts(w) {
  const { t } = w.i18n;
  const { open = 0, premium = 0 } = w.counts;
  w.countEl.textContent = ` ${t('count', { count: open + premium })}`;
  for (const tab of w.tabs.querySelectorAll('[role=tab]')) {
    tab.lastChild.textContent = ` ${t('count', { count: w.counts[tab.dataset.stream] || 0 })}`;
  }
}

function switchTo(w, stream) {
  if (stream === w.stream) return;
  w.stream = stream;
  for (const tab of w.tabs.querySelectorAll('[role=tab]')) {
    const on = tab.dataset.stream === stream;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  w.panel.setAttribute('aria-labelledby', `th-tab-${stream}`);
  w.renderAccount();
  w.load();
}
