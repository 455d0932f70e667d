import { defineConfig } from 'vite';

export default defineConfig({
  base: './', // relative asset paths: the site works under any sub-path
  build: { rollupOptions: { input: ['index.html', 'mail.html'] } },
  optimizeDeps: { exclude: ['mailsetup'] }, // `vite` dev server (Vite 7 and older): keep the .wasm beside its module
});
