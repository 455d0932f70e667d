// MkDocs with Material (pip in a venv): the package's browser files copied into docs/, loaded
// with extra_javascript; navigation.instant for client-side navigation.
import { join } from 'node:path';

export default {
  steps: [
    ['install', 'test -x "$MKDOCS_VENV/bin/pip" || python3 -m venv "$MKDOCS_VENV"; "$MKDOCS_VENV/bin/pip" install -q --disable-pip-version-check --require-hashes -r requirements.txt'],
    ['copy', 'rm -rf docs/mailsetup && bash copy-package.sh'],
    ['build', '"$MKDOCS_VENV/bin/mkdocs" build --strict'],
  ],
  env: (work) => ({ MKDOCS_VENV: join(work, 'mkdocs-venv'), PIP_CACHE_DIR: join(work, 'pip-cache') }),
  site: 'site',
  start: '',
  widgets: 'mail/',
  navigate: (page) => page.click('article a[href*="mail/"]'),
  /** The site's own palette switch (the OS stays light). */
  async theme(page, scheme) {
    const want = scheme === 'dark' ? 'slate' : 'default';
    for (let i = 0; i < 2 && (await page.evaluate(() => document.body.dataset.mdColorScheme)) !== want; i++) {
      await page.locator('form[data-md-component="palette"] label:not([hidden])').first().click();
    }
  },
};
