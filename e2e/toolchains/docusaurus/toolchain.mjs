// Docusaurus 3 (React, server-side rendered): the elements imported by a client module.
export default {
  steps: [
    ['install', 'npm ci --no-audit --no-fund'],
    ['build', 'npm run build'],
  ],
  env: () => ({ DOCUSAURUS_IGNORE_SSG_WARNINGS: 'true' }),
  site: 'build',
  start: '',
  widgets: 'mail',
  navigate: (page) => page.click('article a[href$="/mail"]'),
  /** The site's own switch (it cycles; the OS stays light). */
  async theme(page, scheme) {
    for (let i = 0; i < 3 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== scheme; i++) {
      await page.locator('button[aria-label^="Switch between dark and light mode"]').click();
    }
  },
};
