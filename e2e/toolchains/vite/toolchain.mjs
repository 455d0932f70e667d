// Vite (vanilla, multi-page): `import 'mailsetup/elements'` in the entry module; the .wasm is
// emitted as an asset and its URL rewritten.
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
};
