// The elements' styles, as constructable stylesheets: allowed under a strict CSP (style-src
// 'self'), scoped to each shadow root, built once and shared by every element on the page.
// Everything sits in one `.root` box whose `data-scheme` (theme.js) picks the light or dark
// defaults; every colour can be set by the host page through a --mailsetup-* custom property
// (inherited through the shadow root), and each element exposes its main parts (`::part(form)`,
// `::part(card)`, …) for the rest. The defaults meet WCAG AA contrast (4.5:1) in both schemes,
// on both backgrounds (e2e/theme.test.mjs checks them with axe-core).

const BASE_CSS = `
:host { display: block; container-type: inline-size; unicode-bidi: isolate; }
:host([hidden]) { display: none; }
.root { color-scheme: light;
  --ms-fg: var(--mailsetup-fg, #1b1f24); --ms-muted: var(--mailsetup-muted, #57606a);
  --ms-bg: var(--mailsetup-bg, #ffffff); --ms-subtle: var(--mailsetup-subtle, #f3f5f7);
  --ms-border: var(--mailsetup-border, #d0d7de); --ms-accent: var(--mailsetup-accent, #0b5cad);
  --ms-accent-fg: var(--mailsetup-accent-fg, #ffffff);
  --ms-error: var(--mailsetup-error, #b42318); --ms-warning: var(--mailsetup-warning, #875c00);
  --ms-info: var(--mailsetup-info, #0b5cad); --ms-ok: var(--mailsetup-ok, #18733a);
  font: var(--mailsetup-font, inherit); color: var(--ms-fg); text-align: left; }
.root[data-scheme="dark"] { color-scheme: dark;
  --ms-fg: var(--mailsetup-fg, #e6edf3); --ms-muted: var(--mailsetup-muted, #9da7b3);
  --ms-bg: var(--mailsetup-bg, #161b22); --ms-subtle: var(--mailsetup-subtle, #1f262e);
  --ms-border: var(--mailsetup-border, #3d444d); --ms-accent: var(--mailsetup-accent, #58a6ff);
  --ms-accent-fg: var(--mailsetup-accent-fg, #0d1117);
  --ms-error: var(--mailsetup-error, #ff7b72); --ms-warning: var(--mailsetup-warning, #e3b341);
  --ms-info: var(--mailsetup-info, #79c0ff); --ms-ok: var(--mailsetup-ok, #56d364); }
* { box-sizing: border-box; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; overflow-wrap: break-word; }
button { font: inherit; font-size: .85em; color: var(--ms-accent); background: var(--ms-bg); border: 1px solid var(--ms-border);
  border-radius: 6px; padding: .15em .6em; cursor: pointer; }
button:hover { border-color: var(--ms-accent); }
button:disabled { opacity: .5; cursor: default; }
button.primary { background: var(--ms-accent); color: var(--ms-accent-fg); border-color: var(--ms-accent); font-weight: 600; padding: .3em .9em; }
:focus-visible { outline: 2px solid var(--ms-accent); outline-offset: 2px; }
a { color: var(--ms-accent); }
.offscreen { position: absolute; left: -9999px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.badge { display: inline-block; font-size: .75em; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  padding: .05em .45em; border-radius: 4px; border: 1px solid currentColor; }
.badge.error { color: var(--ms-error); } .badge.warning { color: var(--ms-warning); } .badge.info { color: var(--ms-info); }
.badge.ok { color: var(--ms-ok); }
.copyable { display: inline-flex; flex-wrap: wrap; gap: .4rem; align-items: baseline; }
`;

const SETTINGS_CSS = `
.cards { display: grid; gap: .75rem; align-items: start; grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
figure { margin: 0; border: 1px solid var(--ms-border); border-radius: 8px; background: var(--ms-bg); overflow: hidden; }
figcaption { font-weight: 600; padding: .5rem .75rem; background: var(--ms-subtle); border-bottom: 1px solid var(--ms-border); }
figcaption small { font-weight: 400; color: var(--ms-muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .75rem; border-top: 1px solid var(--ms-border); }
tr:first-child th, tr:first-child td { border-top: 0; }
th { font-weight: 500; color: var(--ms-muted); width: 34%; }
.notes { margin: 0; overflow-wrap: anywhere; padding: .5rem .75rem .6rem 1.9rem; border-top: 1px solid var(--ms-border); color: var(--ms-muted); font-size: .9em; }
.notes li + li { margin-top: .25rem; }
.alt { color: var(--ms-muted); font-size: .9em; }
.basis { margin: 0; padding: .45rem .75rem; border-top: 1px solid var(--ms-border); color: var(--ms-muted); font-size: .85em; overflow-wrap: anywhere; }
.sources { white-space: normal; }
.badge.unconfirmed { color: var(--ms-warning); }
.notes .badge { font-size: .7em; }
.source { margin: .5rem 0 0; color: var(--ms-muted); font-size: .85em; overflow-wrap: anywhere; }
.downloads { margin-top: .75rem; display: grid; gap: .35rem; }
.downloads label { font-weight: 500; }
.downloads label small { font-weight: 400; color: var(--ms-muted); }
.downloads input { font: inherit; color: var(--ms-fg); background: var(--ms-bg); border: 1px solid var(--ms-border);
  border-radius: 6px; padding: .35rem .5rem; width: 100%; max-width: 24rem; min-width: 0; }
.files { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.files .label { color: var(--ms-muted); }
.files .hint { flex-basis: 100%; margin: 0; color: var(--ms-muted); font-size: .9em; }
.missing { padding: .75rem; border: 1px dashed var(--ms-border); border-radius: 8px; color: var(--ms-muted); }
.missing button { margin-left: .5rem; }
/* While the module loads: the room of a typical card and its source line (the same as the page's
   rule for the elements before they are defined, so nothing moves when they are), and the cards'
   frames in it; --mailsetup-loading-height sets it. Below 40rem the cards are about twice as
   tall (the sources and notes wrap: 35–50rem for one protocol at 375 px), so they keep 44rem
   there, as the README's narrow-screen rule does before they are defined. */
:host(:not([data-state])) { min-height: var(--mailsetup-loading-height, 21.5rem); }
.placeholder figure { min-height: calc(var(--mailsetup-loading-height, 21.5rem) - 3rem); }
@media (max-width: 40rem) { :host(:not([data-state])) { min-height: var(--mailsetup-loading-height, 44rem); } .placeholder figure { min-height: calc(var(--mailsetup-loading-height, 44rem) - 3rem); } }
.placeholder figcaption { color: var(--ms-muted); font-weight: 400; }
`;

const CHECK_CSS = `
:host(:not([data-verdict])) { min-height: var(--mailsetup-loading-height, 21.5rem); }
form { border: 1px solid var(--ms-border); border-radius: 8px; padding: .75rem; background: var(--ms-bg); }
.servers { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 1rem; }
.top + .servers { margin-top: 1rem; }
fieldset { border: 1px solid var(--ms-border); border-radius: 8px; margin: 0; padding: .6rem .9rem .9rem; min-width: 0; }
.single fieldset { border: 0; padding: 0; }
legend { font-weight: 600; padding: 0 .35rem; }
.field { display: grid; gap: .2rem; margin-top: .6rem; align-content: start; min-width: 0; }
.single fieldset > :first-child .field, .top .field { margin-top: 0; }
.field-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 .75rem; }
.protocol-host { grid-template-columns: minmax(6rem, 8rem) minmax(0, 1fr); }
@container (max-width: 24rem) { .field-row { grid-template-columns: minmax(0, 1fr); } }
label { font-weight: 500; }
input, select { font: inherit; color: var(--ms-fg); background: var(--ms-bg); border: 1px solid var(--ms-border);
  border-radius: 6px; padding: .35rem .5rem; min-width: 0; width: 100%; }
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--ms-error); box-shadow: 0 0 0 1px var(--ms-error); }
.check-row { display: grid; grid-template-columns: 1.2rem 1fr; gap: .5rem; align-items: start; font-weight: 400; }
.check-row input { margin: .25rem 0 0; width: 1.05rem; height: 1.05rem; }
.hint { color: var(--ms-muted); font-size: .9em; margin: .25rem 0 0; }
.provider-hint { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; min-height: 1.6rem; }
.pop3-options { margin-top: .75rem; padding-top: .5rem; border-top: 1px dashed var(--ms-border); }
.pop3-options[hidden] { display: none; }
.summary { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin-top: 1rem; padding: .6rem .8rem;
  border-radius: 8px; background: var(--ms-subtle); }
.verdict { margin: 0; font-weight: 600; flex: 1 1 16rem; }
.summary.empty .verdict { font-weight: 400; color: var(--ms-muted); }
.summary.ok .verdict { color: var(--ms-ok); } .summary.error .verdict, .summary.failed .verdict { color: var(--ms-error); }
.summary.warning .verdict { color: var(--ms-warning); } .summary.info .verdict { color: var(--ms-info); }
.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: .3rem; }
.findings:empty { display: none; }
.general { margin-top: .6rem; }
.finding { padding: .35rem .55rem; border-left: 3px solid var(--ms-border); background: var(--ms-subtle); border-radius: 0 6px 6px 0; font-size: .92em; }
.finding.error { border-left-color: var(--ms-error); } .finding.warning { border-left-color: var(--ms-warning); }
.finding.info { border-left-color: var(--ms-info); }
.finding .f-help { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; margin-top: .1rem; }
.finding .code { font-family: ui-monospace, monospace; font-size: .85em; margin-left: auto; color: var(--ms-muted); }
a.code { color: var(--ms-accent); }
.finding .where { font-weight: 600; }
.finding .help { color: var(--ms-muted); }
.privacy { margin: .5rem 0 0; font-size: .8em; color: var(--ms-muted); }
`;

const CSS = { base: BASE_CSS, settings: SETTINGS_CSS, check: CHECK_CSS };
let sheets = null;

/** The stylesheets by name (`base`, `settings`, `check`), for a shadow root's adoptedStyleSheets. */
export function styles(...names) {
  sheets ??= Object.fromEntries(Object.entries(CSS).map(([name, css]) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return [name, sheet];
  }));
  return names.map((n) => sheets[n]);
}
