// The widget's styles, adopted by each shadow root (a constructable sheet where the browser has
// one, so no inline <style> is needed under a strict CSP).
import { h } from './dom.js';

const CSS = `
/* No paint containment: it would clip focus rings on full-width boxes. */
:host{display:block;min-height:24rem;contain:layout style;
--th-font-family:inherit;--th-font-size:1rem;--th-color-text:#1a1a1a;--th-color-muted:#5c5c5c;
--th-color-bg:#fff;--th-color-surface:#f5f5f5;--th-color-border:#d9d9d9;--th-color-accent:#c8102e;
--th-color-on-accent:#fff;--th-color-danger:#b00020;--th-color-focus:var(--th-color-accent);
--th-radius:4px;--th-spacing:1rem;--th-av-l:38%;--th-av-s:45%}
:host([hidden]){display:none}
:host([theme=dark]){--th-color-text:#ececec;--th-color-muted:#b4b4b4;--th-color-bg:#121212;
--th-color-surface:#1f1f1f;--th-color-border:#3d3d3d;--th-color-accent:#ff4765;--th-color-on-accent:#1a0004;
--th-color-danger:#ff8a80;--th-av-l:72%;--th-av-s:55%;color-scheme:dark}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){--th-color-text:#ececec;--th-color-muted:#b4b4b4;
--th-color-bg:#121212;--th-color-surface:#1f1f1f;--th-color-border:#3d3d3d;--th-color-accent:#ff4765;
--th-color-on-accent:#1a0004;--th-color-danger:#ff8a80;--th-av-l:72%;--th-av-s:55%;color-scheme:dark}}
*{box-sizing:border-box}
[hidden]{display:none!important}
.th{font-family:var(--th-font-family);font-size:var(--th-font-size);line-height:1.5;color:var(--th-color-text);
background:var(--th-color-bg);padding:var(--th-spacing) 0;border-top:4px solid var(--th-color-text)}
.sr-only{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px}
:focus-visible{outline:3px solid var(--th-color-focus);outline-offset:2px}
article:focus{outline:none}article:focus-visible{outline:3px solid var(--th-color-focus)}
h2{font-size:1.6em;line-height:1.2;margin:.2em 0 .25em;font-weight:800;letter-spacing:-.01em}
h2:focus{outline:none}.count{font-weight:400;color:var(--th-color-muted)}
h3{font-size:1.1em;margin:0 0 .5em}
.intro{margin:0;font-size:1.05em}
a{color:var(--th-color-accent);text-underline-offset:2px}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer;min-height:44px;border-radius:var(--th-radius);padding:.5em 1em;border:1px solid transparent;background:none}
button:disabled,[aria-disabled=true]{cursor:not-allowed;opacity:.7}
.primary{background:var(--th-color-accent);color:var(--th-color-on-accent);font-weight:700}
.primary:hover:not(:disabled){filter:brightness(1.08)}
.secondary{border-color:var(--th-color-text);font-weight:600}
.link{padding:.5em .25em;color:var(--th-color-accent);text-decoration:underline;text-underline-offset:2px;min-width:44px}
.skip{position:absolute;inset-inline-start:-9999px;background:var(--th-color-bg)}.skip:focus{position:static;display:inline-block;margin-bottom:.5em}
.rules{background:var(--th-color-surface);border-inline-start:4px solid var(--th-color-accent);padding:.75em 1em;margin:.75em 0;font-size:.95em}
.rules p{margin:0}.rules .cta{font-size:1em}.rules ul{margin:.25em 0 .5em;padding-inline-start:1.2em}.rules li{margin:.2em 0}
.toast{position:sticky;bottom:.75em;z-index:1;margin:.75em 0 0;padding:.75em 1em;border-radius:var(--th-radius);
background:var(--th-color-text);color:var(--th-color-bg);font-weight:600;box-shadow:0 4px 16px rgba(0,0,0,.3)}
.toast[data-kind=error]{background:var(--th-color-danger)}
.toast:empty{height:0;margin:0;padding:0;overflow:hidden;box-shadow:none}
.tabs{display:flex;flex-wrap:wrap;align-items:center;gap:.25em 1em;border-bottom:1px solid var(--th-color-border);margin:1em 0}
[role=tablist]{display:flex;gap:.25em}
[role=tab]{border-radius:0;border:0;border-bottom:4px solid transparent;font-weight:700;padding:.6em .75em;color:var(--th-color-muted)}
[role=tab][aria-selected=true]{color:var(--th-color-text);border-bottom-color:var(--th-color-accent)}
.learn{font-size:.95em;padding:.6em 0;min-height:44px;display:inline-flex;align-items:center}
.account,.composer-area{margin:.75em 0}
.signin,.nameform,.auth,.banner,.info,.error,.empty{background:var(--th-color-surface);border-radius:var(--th-radius);padding:1em}
.cta{font-weight:700;margin:0 0 .5em;font-size:1.05em}
.row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.grow{flex:1}
.field{margin:0 0 .75em}.field label,.composer label{display:block;font-weight:700;margin-bottom:.25em}
input[type=text],input[type=email],input[type=password],textarea,select{border:1px solid var(--th-color-muted);border-radius:var(--th-radius);
background:var(--th-color-bg);padding:.6em;min-height:44px;max-width:100%}
input[type=text],input[type=email],input[type=password]{width:22em}
.nameform .row input{flex:1 1 12em;width:auto}
textarea{width:100%;resize:vertical;display:block;margin-bottom:.5em}
[aria-invalid=true]{border-color:var(--th-color-danger);border-width:2px}
.err{color:var(--th-color-danger);font-weight:600;margin:.5em 0 0}.err:empty{display:none}
.hint,.counter{color:var(--th-color-muted);font-size:.9em;margin:.4em 0 0}.counter.low{color:var(--th-color-danger)}
.switch{margin:.75em 0 0;font-size:.95em}
.who-am-i{margin:0;color:var(--th-color-muted)}.who-am-i strong{color:var(--th-color-text)}
.composer{margin:0}
.bell-bar{margin:.5em 0 0}.bell .unread{font-weight:700}.bell-panel{background:var(--th-color-surface);border-radius:var(--th-radius);padding:.5em 1em;margin:.5em 0 0}.bell-list{list-style:none;margin:0;padding:0}.bell-list li{padding:.4em 0;border-bottom:1px solid var(--th-color-border)}.bell-list li.unread strong{color:var(--th-color-accent)}.bell-list .excerpt{margin:.2em 0 0;color:var(--th-color-muted);overflow-wrap:anywhere}
.notify{display:flex;gap:.5em;align-items:center;min-height:44px}.notify input{width:1.25em;height:1.25em;margin:0}
.banner{border-inline-start:4px solid var(--th-color-danger);margin:0}
.info{margin:0}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;justify-content:flex-end;gap:.5em;border-top:1px solid var(--th-color-border);padding-top:.75em;margin-top:1em}
.toolbar label{font-weight:600;color:var(--th-color-muted)}
.newbar{display:block;width:100%;margin:.75em 0;background:var(--th-color-text);color:var(--th-color-bg);font-weight:700}
.list,.replies{list-style:none;margin:0;padding:0}
.c{border-top:1px solid var(--th-color-border);padding:.5em 0 0}
.replies{margin-inline-start:1em;border-inline-start:2px solid var(--th-color-border);padding-inline-start:.85em}
.replies .c{border-top:0;padding-top:.35em}
article.muted{border-inline-start:3px dashed var(--th-color-border);padding-inline-start:.75em}article.muted .body{color:var(--th-color-muted)}
.meta{display:flex;align-items:center;gap:.5em;min-height:1.75em}
.av{flex:none;width:1.75em;height:1.75em;font-size:.95em;border-radius:50%;display:inline-grid;place-items:center;font-weight:700;
color:#fff;background:hsl(var(--h,0) var(--th-av-s) var(--th-av-l))}
:host([theme=dark]) .av{color:#111}
@media (prefers-color-scheme:dark){:host(:not([theme=light])) .av{color:#111}}
.fold{margin-block:-.6em;margin-inline:auto 0;min-width:44px;padding:0;color:var(--th-color-muted)}
.fold-ic{display:inline-block;width:.7em;height:.7em;border-right:2px solid;border-bottom:2px solid;transform:translateY(-25%) rotate(45deg)}
.folded>article .fold-ic{transform:translateY(25%) rotate(-135deg)}
.folded>article>:not(header),.folded>ol.replies,.folded>.more-replies{display:none}
.folded>article .meta{opacity:.75}
.who{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15em .6em;min-width:0}
.name{font-weight:700;overflow-wrap:anywhere}
time,.edited{color:var(--th-color-muted);font-size:.875em}
.badge{font-size:.75em;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:.1em .45em;border-radius:2px;
background:var(--th-color-text);color:var(--th-color-bg)}
.badge.subscriber{background:var(--th-color-accent);color:var(--th-color-on-accent)}
.badge.pick,.badge.expert{background:var(--th-color-surface);color:var(--th-color-text);box-shadow:inset 0 0 0 1px currentColor}
.intro.prompt{font-weight:700;font-size:1.15em}
.pinned{margin:0 0 1em;padding:.75em 1em;border-inline-start:4px solid var(--th-color-text);background:var(--th-color-surface)}
.why-best{margin:.3em 0;font-size:.9em;color:var(--th-color-muted)}.why-best summary{cursor:pointer;min-height:24px}
.why-best ul{margin:.25em 0;padding-inline-start:1.2em}.why-best p{margin:.2em 0;font-weight:600}
.toolbar .tool{display:inline-flex;align-items:center;gap:.4em;margin-inline-end:1em}
.likes-closed{margin:.4em 0 0;color:var(--th-color-muted);font-size:.9em}
.badge.answered{background:var(--th-color-surface);color:var(--th-color-text);box-shadow:inset 0 0 0 1px currentColor}
.inreply .link{padding:.25em 0;font-size:1em}
.pick-note{margin:.3em 0 .4em;font-size:.95em}.pick-why{font-weight:700}
.picks{margin:0 0 1em;padding:.75em 1em;background:var(--th-color-bg);border:1px solid var(--th-color-border);border-radius:4px}
.picks-h{margin:0 0 .5em;font-size:1.1em}.picks-list{list-style:none;margin:0;padding:0}
.pick+.pick{margin-top:.75em;padding-top:.75em;border-top:1px solid var(--th-color-border)}
.inreply{margin:.4em 0 0;color:var(--th-color-muted);font-size:.9em}
.body{overflow-wrap:anywhere;margin:0}.body p{margin:0 0 .5em}.body p:last-child{margin:0}
.note{margin:.4em 0;padding:.5em .75em;border-inline-start:3px solid var(--th-color-muted);background:var(--th-color-surface);font-size:.95em}
.note p{margin:.2em 0}.note-title{font-weight:700}.passage{font-style:italic}
/* Before posting: the passage is marked by weight and a thick underline, not by colour alone. */
.precheck .check{margin:.75em 0 0;border-inline-start-color:var(--th-color-danger)}.check .row{margin-top:.5em}
.excerpt{overflow-wrap:anywhere}
mark{background:none;color:inherit;font-weight:700;text-decoration:underline 3px var(--th-color-danger);
text-decoration-skip-ink:none;text-underline-offset:3px}
@media (forced-colors:active){mark{text-decoration-color:Mark;background:Mark;color:MarkText}}
.tomb p{margin:0;padding:.5em 0;color:var(--th-color-muted);font-style:italic}
/* 44 px targets whose extra height overlaps the gaps around the row rather than adding to it. */
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:0 .15em;margin-block:-.4em;margin-inline:-.5em 0}
.act{display:inline-flex;align-items:center;justify-content:center;gap:.35em;min-width:44px;padding:.3em .5em;color:var(--th-color-muted);font-size:.9em;font-weight:600}
.act:hover:not(:disabled){color:var(--th-color-text);background:var(--th-color-surface)}
.act.danger{color:var(--th-color-danger)}
.ic{width:1.15em;height:1.15em;fill:currentColor}
/* Arrows point the way the text runs. */
[dir=rtl] .ic-reply{transform:scaleX(-1)}
.like .ic{fill:none;stroke:currentColor;stroke-width:2}
.like[aria-pressed=true]{color:var(--th-color-accent)}.like[aria-pressed=true] .ic{fill:currentColor}
.likebox,.own-likes{display:inline-flex;align-items:center;gap:.1em}
.likes{color:var(--th-color-muted);font-size:.9em;margin-inline-end:.35em;white-space:nowrap}
.own-likes{padding-inline-start:.5em;gap:.35em;color:var(--th-color-muted)}.own-likes .ic{fill:none;stroke:currentColor;stroke-width:2}
.reply-box{margin:.5em 0 1em}
.more,.more-replies{margin:.75em 0}
.more{display:block;width:100%;border:2px solid var(--th-color-text);font-weight:700}
.foot{margin:1em 0 0;text-align:end}
.state .empty,.state .error{margin:1em 0}.error p,.empty{margin:0 0 .5em}
.sk{border-top:1px solid var(--th-color-border);padding:1em 0;display:grid;gap:.5em}
.sk span{display:block;height:.9em;border-radius:3px;background:var(--th-color-surface);animation:sh 1.2s ease-in-out infinite alternate}
.sk-a{width:30%}.sk-b{width:90%}.sk-c{width:70%}
@keyframes sh{to{opacity:.45}}
@media (prefers-reduced-motion:reduce){.sk span{animation:none}*{scroll-behavior:auto}}
dialog{border:0;border-radius:calc(var(--th-radius)*2);padding:1.5em;max-width:32em;width:calc(100% - 2em);
background:var(--th-color-bg);color:var(--th-color-text);box-shadow:0 10px 40px rgba(0,0,0,.35)}
dialog::backdrop{background:rgba(0,0,0,.55)}
dialog h2{font-size:1.3em;margin:0 0 .5em}dialog p{margin:0 0 1em}
dialog fieldset{border:0;padding:0;margin:0 0 1em}dialog legend{font-weight:700;margin-bottom:.25em;padding:0}
dialog .opt{display:flex;align-items:center;gap:.5em;min-height:44px}
dialog .opt input{flex:none;width:1.2em;height:1.2em;margin:0 .25em;accent-color:var(--th-color-accent)}
dialog .note-label{display:block;font-weight:700;margin-bottom:.25em}
dialog .btns{display:flex;justify-content:flex-end;flex-wrap:wrap;gap:.5em;margin-top:1em}
.space{background:var(--th-color-surface);border-radius:var(--th-radius);padding:1em;margin:.75em 0}
.space section{margin:0 0 1.25em}.space h3:focus{outline:none}
.space ol,.space ul{list-style:none;margin:0;padding:0}
.mine-c{border-bottom:1px solid var(--th-color-border);padding:.5em 0}.mine-c .meta{margin:0;color:var(--th-color-muted);font-size:.9em}
.mine-c .body{margin:.25em 0}.appeal-status{font-weight:600}.mine-c .body p{margin:0 0 .25em}.view{display:inline-block;padding:.6em 0;min-height:44px}
.space .danger-btn,dialog .danger-btn{background:var(--th-color-danger);color:var(--th-color-bg);font-weight:700}
@media (max-width:480px){[role=tab]{padding:.5em .4em;font-size:.95em}.tabs{gap:0 .75em}.replies{margin-inline-start:.25em;padding-inline-start:.6em}.replies .replies{margin-inline-start:0}
.actions{flex-wrap:nowrap}.act>span{display:none}
dialog{margin:auto 0 0;width:100%;max-width:100%;border-radius:12px 12px 0 0}
input[type=text],input[type=email],input[type=password]{width:100%}.toolbar{justify-content:flex-start}}
`;

let sheet;

/** Give `root` the widget's styles (one shared sheet for every element on the page). */
export function adoptStyles(root) {
  if (!sheet && 'adoptedStyleSheets' in Document.prototype) {
    try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch { sheet = null; }
  }
  if (sheet) root.adoptedStyleSheets = [sheet];
  else root.append(h('style', { text: CSS }));
}
