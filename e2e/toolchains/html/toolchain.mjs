// Plain HTML: the package's browser files copied beside the pages (no build tool).
export default {
  steps: [['copy', 'bash copy-package.sh']],
  site: 'site',
  start: '',
  widgets: 'mail.html',
  /** Client-side navigation: swap.js fetches the page and swaps its <main> in. */
  navigate: (page) => page.click('#to-mail'),
  /** The site follows the reader's system: the scheme is the browser's. */
  theme: async (page, scheme) => page.emulateMedia({ colorScheme: scheme }),
};
