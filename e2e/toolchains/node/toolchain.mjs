// A Node build script (initSync, and init with the bytes) pre-rendering a table, beside the
// elements for the live widgets.
export default {
  steps: [
    ['install', 'npm ci --no-audit --no-fund'],
    ['build', 'npm run build'],
  ],
  site: 'dist',
  start: '',
  widgets: 'mail.html',
  navigate: (page) => page.click('#to-mail'),
  theme: async (page, scheme) => page.emulateMedia({ colorScheme: scheme }),
  /** What the build wrote, checked beside the browser checks. */
  async verify({ read }) {
    const table = read('dist/mail/gmail-imap.html');
    for (const text of ['imap.gmail.com', '993', 'SSL/TLS', 'your full email address', 'OAuth2 (sign in with the provider) or App password']) {
      if (!table.includes(text)) throw new Error(`the pre-rendered table lacks ${text}: ${table}`);
    }
    const xml = read('dist/mail/config-v1.1.xml');
    if (!xml.includes('<hostname>imap.gmail.com</hostname>')) throw new Error(`the autoconfig file lacks imap.gmail.com: ${xml}`);
  },
};
