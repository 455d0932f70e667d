// VitePress (Vue, server-side rendered): the elements imported by the theme.
export default {
  steps: [
    ['install', 'npm ci --no-audit --no-fund'],
    ['build', 'npm run build'],
  ],
  site: 'docs/.vitepress/dist',
  start: '',
  widgets: 'mail.html',
  navigate: (page) => page.click('.vp-doc a[href$="mail.html"]'),
  /** The site's own switch (the OS stays light). */
  async theme(page, scheme) {
    const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'));
    await page.setViewportSize({ width: 1440, height: 900 }); // the switch is in the bar from 1280 px
    if (dark !== (scheme === 'dark')) await page.locator('.VPNavBarAppearance button').click();
  },
};
