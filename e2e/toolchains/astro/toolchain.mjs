// Astro 5 (Astro 6 needs Node 22): the elements imported by a <script> in the layout; view
// transitions (<ClientRouter />) for client-side navigation.
export default {
  steps: [
    ['install', 'npm ci --no-audit --no-fund'],
    ['build', 'npm run build'],
  ],
  env: () => ({ ASTRO_TELEMETRY_DISABLED: '1' }),
  site: 'dist',
  start: '',
  widgets: 'mail/',
  navigate: (page) => page.click('#to-mail'),
  /** The site's own switch (data-theme on <html>; the OS stays light). */
  async theme(page, scheme) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme ?? 'light')) !== scheme) await page.click('#theme-switch');
  },
};
