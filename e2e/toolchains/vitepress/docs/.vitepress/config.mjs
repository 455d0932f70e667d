export default {
  title: 'Help Center',
  base: '/docs/',
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('mail-') } } },
  vite: { optimizeDeps: { exclude: ['mailsetup'] } }, // `vitepress dev`: keep the .wasm beside its module
};
