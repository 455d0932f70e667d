// Which colour scheme the elements draw in, so that they match the site around them rather than
// only the reader's system setting (a docs site with its own light/dark switch, or a light-only
// theme read on a dark system). In order:
//
//   1. the element's `theme` attribute: `light` or `dark` (`auto` or absent: what follows);
//   2. the site's switch, as docs generators record it on <html> or <body>: `data-theme`
//      (Docusaurus, Starlight), `data-bs-theme` (Bootstrap), `data-md-color-scheme` (MkDocs
//      Material: `slate` is dark), a `dark` or `light` class (VitePress, Tailwind, next-themes);
//   3. the page's background behind the element: a dark one means dark (a site whose theme is
//      dark, or light-only, without any of those markers);
//   4. the reader's `prefers-color-scheme`.
//
// The elements follow changes of all of these (a MutationObserver on <html> and <body>, the
// media query), and nothing here runs before an element is connected: importing this module in
// Node (a server-side build) touches nothing.

const SCHEMES = ['light', 'dark'];
const SITE_ATTRIBUTES = ['data-theme', 'data-bs-theme', 'data-color-scheme', 'data-md-color-scheme', 'class', 'style'];

/** The scheme a site's markers on one element say, or undefined. */
function markedScheme(el) {
  if (!el) return undefined;
  for (const name of ['data-theme', 'data-bs-theme', 'data-color-scheme']) {
    const value = el.getAttribute(name);
    if (SCHEMES.includes(value)) return value;
  }
  const material = el.getAttribute('data-md-color-scheme');
  if (material === 'slate') return 'dark';
  if (material === 'default') return 'light';
  if (el.classList.contains('dark')) return 'dark';
  if (el.classList.contains('light')) return 'light';
  return undefined;
}

/** "r, g, b[, a]" of a computed colour, or null when it is not an rgb()/rgba() value. */
function channels(color) {
  const m = /^rgba?\(([^)]+)\)$/.exec(color);
  if (!m) return null;
  const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return parts.length >= 3 && parts.every((n) => Number.isFinite(n)) ? parts : null;
}

/** The scheme of the first opaque background behind `el` (its ancestors, across shadow roots),
 * or undefined when every one is transparent. */
function backgroundScheme(el) {
  for (let node = el.parentElement ?? el.getRootNode()?.host; node; node = node.parentElement ?? node.getRootNode()?.host) {
    const rgb = channels(getComputedStyle(node).backgroundColor);
    if (!rgb || (rgb.length > 3 && rgb[3] < 0.5)) continue;
    // Relative luminance (WCAG); below the midpoint between black and white is dark.
    const lin = rgb.slice(0, 3).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    const luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    return luminance < 0.18 ? 'dark' : 'light';
  }
  return undefined;
}

let media = null;

/** The scheme an element should draw in now. */
export function schemeFor(host) {
  const asked = host.getAttribute('theme');
  if (SCHEMES.includes(asked)) return asked;
  const site = markedScheme(document.documentElement) ?? markedScheme(document.body);
  if (site) return site;
  const behind = backgroundScheme(host);
  if (behind) return behind;
  media ??= matchMedia('(prefers-color-scheme: dark)');
  return media.matches ? 'dark' : 'light';
}

// Every connected element, told again when the site's markers or the system setting change.
const followers = new Set();
let observer = null;
let settle = null;

function update() {
  for (const apply of followers) apply();
}

/** Calls `apply()` now and whenever the site's scheme may have changed, until `unfollow`. */
export function follow(apply) {
  followers.add(apply);
  if (!observer) {
    // Site switches often animate the background: look again once a transition has settled.
    const changed = () => {
      update();
      clearTimeout(settle);
      settle = setTimeout(update, 400);
    };
    observer = new MutationObserver(changed);
    const watch = (el) => el && observer.observe(el, { attributes: true, attributeFilter: SITE_ATTRIBUTES });
    watch(document.documentElement);
    watch(document.body);
    media ??= matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', changed);
  }
  apply();
}

export function unfollow(apply) {
  followers.delete(apply);
}
