import { defineConfig } from 'astro/config';

export default defineConfig({
  base: '/docs/',
  vite: { optimizeDeps: { exclude: ['mailsetup'] } }, // `astro dev`: keep the .wasm beside its module
});
