// Every string a reader sees or hears, keyed by message id. `{name}` placeholders are filled by
// t(); a message that depends on a number is an object keyed by Intl.PluralRules category
// (`one`, `other`, and `zero`/`two`/`few`/`many` where a language has them). Times and dates go
// through Intl.RelativeTimeFormat and Intl.DateTimeFormat, so another language is another
// catalogue with the same ids plus its locale. English only for now.

const LOCALE = 'en-GB';

const EN = {
  // The section
  heading: 'Comments',
  intro: 'Share your thoughts and debate the big issues',
  skip: 'Skip to comment form',
  learnMore: 'Learn more',
  aboutPremium: 'about {premium}',
  guidelinesRegion: 'Community guidelines',
  respectful: 'Please be respectful when making a comment and adhere to our Community Guidelines.',
  guidelinesFull: 'You can find our Community Guidelines in full here.',
  streams: 'Comment streams',
  premium: 'Premium',
  // Not "All comments": Premium comments are in the other tab.
  openStream: 'Open discussion',
  sortBy: 'Sort by',
  'sort.newest': 'Newest first',
  'sort.oldest': 'Oldest first',
  'sort.most_liked': 'Most liked',
  listHeading: 'Comment list',
  loading: 'Loading comments…',
  loadingShort: 'Loading…',
  loadMore: 'Load more comments',
  topOfComments: 'Top of comments',
  loadError: 'Comments could not be loaded.',
  tryAgain: 'Try again',
  empty: 'There are no comments yet - be the first to add your thoughts',
  emptyPremium: 'There are no {premium} comments yet - be the first to add your thoughts',
  missing: 'This comment has been removed or does not exist.',
  viewAll: 'View all comments',
  moreLoaded: { one: '{count} more comment loaded', other: '{count} more comments loaded' },

  // A comment
  anonymous: 'Anonymous',
  'badge.staff': 'Staff',
  'badge.subscriber': 'Subscriber',
  edited: 'Edited',
  commentFrom: 'Comment from {name}, {when}',
  replyFrom: 'Reply from {name}, {when}',
  replyingTo: 'Replying to {name}',
  hideThread: 'Hide comment by {name} and its replies',
  showThread: 'Show comment by {name} and its replies',
  moreReplies: 'Show more replies ({count})',
  repliesError: 'Replies could not be loaded.',
  likes: { one: '{count} like', other: '{count} likes' },
  like: 'Like',
  likeLabel: 'Like comment by {name}',
  reply: 'Reply',
  replyLabel: 'Reply to comment by {name}',
  share: 'Share',
  shareLabel: 'Share comment by {name}',
  report: 'Report',
  reportLabel: 'Report comment by {name}',
  reported: 'Reported',
  edit: 'Edit',
  editLabel: 'Edit your comment',
  delete: 'Delete',
  deleteLabel: 'Delete your comment',
  deleted: 'This comment has been deleted',
  removed: 'This comment has been removed by a moderator for violating our community guidelines.',
  accountGone: 'This comment is no longer available. The commenter has deleted their account.',
  pending: 'Your comment is awaiting review',
  rejected: 'This comment has been rejected for violating our guidelines',
  editLeft: { one: 'You can edit it for {count} more minute.', other: 'You can edit it for {count} more minutes.' },
  passage: 'The passage: “{text}”',

  // Why a comment is held or was rejected, by guideline, and what its author can change.
  // Never the matched words themselves (that would teach how to get round the check).
  'why.swearing': 'It may contain swearing or obscene language, which our guidelines do not allow.',
  'why.abuse': 'It may contain personal abuse or a threat, which our guidelines do not allow.',
  'why.discrimination': 'It may contain discriminatory or inciteful language, which our guidelines do not allow.',
  'why.private_info': 'It may reveal private information about someone, such as a phone number, an email or a home address.',
  'why.impersonation': 'It may look as if it comes from someone else or from our staff.',
  'why.spam': 'It looks like spam: too many links, repeated text or many comments at once.',
  'why.trust': 'Comments here are read by a moderator before they appear. There is nothing you need to change.',
  'why.reports': 'Readers reported it, so a moderator will look at it.',
  'why.moderator': 'A moderator found that it breaks our community guidelines.',
  'why.other': 'A moderator will check it against our community guidelines.',
  'change.swearing': 'Take out the swearing: the moderator sees your edited text.',
  'change.abuse': 'Criticise the argument, not the person: the moderator sees your edited text.',
  'change.discrimination': 'Leave out remarks about groups of people: the moderator sees your edited text.',
  'change.private_info': 'Leave out details that identify a private person: the moderator sees your edited text.',
  'change.impersonation': 'Speak only for yourself: the moderator sees your edited text.',
  'change.spam': 'Keep to one link and your own words: the moderator sees your edited text.',
  'fix.swearing': 'Take out the swearing and post it again.',
  'fix.abuse': 'Criticise the argument, not the person, and post it again.',
  'fix.discrimination': 'Leave out remarks about groups of people and post it again.',
  'fix.private_info': 'Leave out details that identify a private person and post it again.',
  'fix.impersonation': 'Speak only for yourself and post it again.',
  'fix.spam': 'Keep to one link and your own words, and post it again.',

  // Time
  'time.now': 'just now',
  editExpired: 'Edit time has expired. You can no longer edit this comment.',

  // Account
  signInCta: 'Sign in and Join the Conversation',
  signIn: 'Sign in',
  register: 'Register',
  signedInAs: 'Signed in as {name}',
  signedIn: 'Signed in',
  notYou: 'Not you?',
  signOut: 'Sign out',
  signedOut: 'You have signed out',
  banned: 'Your account has been banned from commenting.',
  suspended: 'Your account has been temporarily suspended from commenting.',
  rejoinOn: 'Please rejoin the conversation on {date}.',
  rejoinLater: 'Please rejoin the conversation at a later date.',
  closed: 'Comments are closed on this story.',
  'premium.comment': 'Only {premium} subscribers can comment here.',
  'premium.read': 'Only {premium} subscribers can read these comments.',
  'signInTo.like': 'Sign in to like comments',
  'signInTo.reply': 'Sign in to reply',
  'signInTo.report': 'Sign in to report comments',

  // Sign-in and register forms
  'auth.signInTitle': 'Sign in',
  'auth.registerTitle': 'Create an account',
  'auth.email': 'Email address',
  'auth.password': 'Password',
  'auth.name': 'Commenting name (optional)',
  'auth.create': 'Create account',
  'auth.cancel': 'Cancel',
  'auth.haveAccount': 'Already registered?',
  'auth.newHere': 'New here?',
  'auth.missing': 'Enter your email address and password.',
  'auth.mismatch': 'That email address and password do not match.',

  // Commenting name
  needName: 'Create a commenting name to join the debate',
  'name.form': 'Create a commenting name',
  'name.label': 'Commenting name',
  'name.hint': '3 to 30 characters. This is how other readers will see you.',
  'name.save': 'Save',
  'name.available': '“{name}” is available.',
  'name.unavailable': 'That name is not available.',
  'name.saved': 'Your commenting name is {name}',

  // Composer
  'compose.label': 'Add your comment',
  'compose.form': 'Post a comment',
  'compose.submit': 'Post comment',
  'compose.posting': 'Posting…',
  'compose.left': { one: '{count} character remaining', other: '{count} characters remaining' },
  'compose.escape': 'Press Escape again to discard your text.',
  'compose.cancel': 'Cancel',
  'reply.label': 'Write a reply',
  'reply.form': 'Reply to {name}',
  'reply.submit': 'Post reply',
  'edit.label': 'Update your comment',
  'edit.form': 'Edit your comment',
  'edit.submit': 'Save changes',
  'edit.left': { one: 'Edit: {count} minute remaining', other: 'Edit: {count} minutes remaining' },
  posted: 'Your comment has been posted',
  replied: 'Your reply has been posted',
  updated: 'Your comment has been updated',

  // Actions
  liked: 'Liked',
  unliked: 'Like removed',
  copied: 'Link copied',
  copyThis: 'Copy this link: {link}',
  'report.title': 'Report Comment',
  'report.question': 'Are you sure you want to mark this comment as inappropriate?',
  'report.why': 'Why are you reporting this comment?',
  'report.note': 'Add a note (optional)',
  'report.thanks': "Thank you! We've received your report.",
  'report.already': 'You have already reported this comment.',
  'report.choose': 'Choose a reason for your report.',
  'delete.title': 'Delete Comment',
  'delete.question': 'Are you sure you want to delete this comment?',
  'delete.done': 'Your comment has been deleted',
  cancel: 'Cancel',
  'reason.swearing': 'Swearing or obscenity',
  'reason.abuse': 'Personal abuse or threats',
  'reason.discrimination': 'Racism, sexism, homophobia or other discrimination',
  'reason.impersonation': 'Impersonating someone',
  'reason.private_info': 'Reveals private information',
  'reason.spam': 'Spam or advertising',
  'reason.disagree': 'I disagree with this comment',
  'reason.other': 'Something else',

  // Live updates
  newComments: { one: 'View {count} new comment', other: 'View {count} new comments' },
  newAvailable: { one: '{count} new comment available', other: '{count} new comments available' },

  // What went wrong, by action when nothing more specific is known
  'fail.load': 'Comments could not be loaded.',
  'fail.post': 'Your comment was not posted. Try again.',
  'fail.edit': 'Your changes were not saved. Try again.',
  'fail.like': 'That did not work. Try again.',
  'fail.report': 'Your report was not sent. Try again.',
  'fail.delete': 'Your comment was not deleted. Try again.',
  'fail.name': 'That name is not available.',
  'fail.auth': 'Something went wrong. Try again.',

  // What went wrong, by the server's problem code
  'problem.network': 'Could not reach the server. Try again.',
  'problem.rateLimited': {
    one: "You're commenting too fast. Try again in {count} second.",
    other: "You're commenting too fast. Try again in {count} seconds.",
  },
  'problem.slowDown': {
    one: "You're going too fast. Try again in {count} second.",
    other: "You're going too fast. Try again in {count} seconds.",
  },
  'problem.tooManyAttempts': {
    one: 'Too many attempts. Try again in {count} second.',
    other: 'Too many attempts. Try again in {count} seconds.',
  },
  'problem.signInAgain': 'Please sign in again to post.',
  'problem.ownLike': 'You cannot like your own comment.',
  'problem.ownReport': 'You cannot report your own comment.',
  'problem.archived': 'This story is archived: no new comments, likes or reports.',
  'problem.nameRequired': 'Create a commenting name before you post.',
  'problem.emailTaken': 'An account with that email address already exists. Sign in instead.',
  'problem.tooLarge': 'That is too much text to send at once.',
  'problem.notFound': 'This comment has been removed or does not exist.',
  'problem.forbidden': 'You are not allowed to do that.',
  'problem.origin': 'Comments cannot be posted from this website.',
  'problem.busy': 'The comment service is busy. Try again in a moment.',

  // Input the server refused, by field and rule (then by rule alone)
  'rule.body.required': 'Write something before posting.',
  'rule.body.max-length': 'Your comment is too long. Shorten it and try again.',
  'rule.body.characters': 'Your comment contains a character we cannot accept.',
  'rule.email.format': 'Enter a valid email address.',
  'rule.email.required': 'Enter your email address.',
  'rule.password.too-short': 'That password is too short. Choose a longer one.',
  'rule.password.too-long': 'That password is too long.',
  'rule.password.required': 'Enter your password.',
  'rule.name.too-short': 'Commenting names need at least 3 characters.',
  'rule.name.too-long': 'Commenting names can have at most 30 characters.',
  'rule.name.characters': 'That name contains characters we cannot accept.',
  'rule.name.taken': 'That name is already taken.',
  'rule.name.confusable': 'That name is too similar to an existing commenting name.',
  'rule.name.reserved': 'That name is reserved.',
  'rule.name.profane': 'That name is not allowed under our community guidelines.',
  'rule.note.max-length': 'Your note is too long.',
  'rule.parent_id.exists': 'The comment you replied to is no longer available.',
  'rule.stream.disabled': 'This story has no Premium comments.',
};

let catalogue = EN;
const plurals = new Intl.PluralRules(LOCALE);
const numbers = new Intl.NumberFormat(LOCALE);

/** Whether the catalogue has a message `id`. */
export const has = (id) => id in catalogue;

/** The message `id` with `{placeholders}` filled from `params`; `count` picks the plural form. */
export function t(id, params = {}) {
  let m = catalogue[id] ?? id;
  if (typeof m === 'object') m = m[plurals.select(params.count)] ?? m.other;
  return m.replace(/\{(\w+)\}/g, (all, k) => {
    if (!(k in params)) return all;
    const v = params[k];
    return typeof v === 'number' ? numbers.format(v) : String(v);
  });
}

/** The message `id` as a list of strings and the `nodes` standing for its placeholders. */
export function parts(id, nodes) {
  return t(id).split(/(\{\w+\})/).filter(Boolean).map((s) => {
    const k = /^\{(\w+)\}$/.exec(s);
    return k && k[1] in nodes ? nodes[k[1]] : s;
  });
}

const RTF = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });
const DAY = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', year: 'numeric' });
const FULL = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short' });

/** How long ago `iso` was, in words ("5 minutes ago", "1 minute ago" from 45 s); a date after two weeks. */
export function ago(iso, now = Date.now()) {
  const s = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(s);
  if (abs < 45) return t('time.now');
  if (abs > 86400 * 14) return DAY.format(new Date(iso));
  const [unit, size, most] = abs >= 86400 ? ['day', 86400, 14] : abs >= 3600 ? ['hour', 3600, 23] : ['minute', 60, 59];
  const n = Math.min(most, Math.max(1, Math.round(abs / size)));
  return RTF.format(s < 0 ? -n : n, unit);
}

/** The date and time of `iso` in full ("25 November 2026 at 14:05"). */
export const fullDate = (iso) => FULL.format(new Date(iso));

// Problem codes the server sends, and what the reader is told. An entry may be specific to
// what the reader was doing (`like:own-comment`). Validation problems go by field and rule.
const PROBLEMS = {
  // Offline: "Your comment was not posted. Try again." says more than "could not reach".
  'auth:network': 'problem.network',
  'name:network': 'problem.network',
  'rate-limited': 'problem.slowDown',
  'post:rate-limited': 'problem.rateLimited',
  'edit:rate-limited': 'problem.rateLimited',
  'auth:rate-limited': 'problem.tooManyAttempts',
  'story-closed': 'closed',
  'story-archived': 'problem.archived',
  banned: 'banned',
  suspended: 'suspended',
  'name-required': 'problem.nameRequired',
  'premium-required': 'premium.comment',
  unauthenticated: 'problem.signInAgain',
  'invalid-token': 'problem.signInAgain',
  'invalid-credentials': 'auth.mismatch',
  'edit-window-closed': 'editExpired',
  'like:own-comment': 'problem.ownLike',
  'report:own-comment': 'problem.ownReport',
  'already-reported': 'report.already',
  'email-taken': 'problem.emailTaken',
  'comment-rejected': 'rejected',
  'payload-too-large': 'problem.tooLarge',
  'not-found': 'problem.notFound',
  'load:not-found': 'fail.load',
  forbidden: 'problem.forbidden',
  'origin-not-allowed': 'problem.origin',
  'live-unavailable': 'problem.busy',
  'shutting-down': 'problem.busy',
};

/**
 * What to tell the reader about a failed `action` (load, post, edit, like, report, delete,
 * name, auth). `params` fills placeholders such as {premium}. Never the server's own wording.
 */
export function problemText(err, action, params = {}) {
  const code = err.code || 'network';
  if (code === 'validation' || code === 'name-invalid') {
    const { field, rule } = err;
    const id = [`rule.${field}.${rule}`, `rule.${action}.${rule}`].find(has);
    if (id) return t(id, params);
  }
  const id = PROBLEMS[`${action}:${code}`] || PROBLEMS[code];
  if (code === 'rate-limited') return t(id, { count: Math.max(1, err.retryAfter || 30) });
  if (id) return t(id, params);
  return t(`fail.${action}`, params);
}
