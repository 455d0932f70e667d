export default {
  title: 'Help Center',
  url: 'http://127.0.0.1',
  baseUrl: '/docs/',
  onBrokenLinks: 'throw',
  presets: [['classic', { docs: { routeBasePath: '/' }, blog: false, theme: { customCss: './src/css/custom.css' } }]],
  clientModules: ['./src/mailsetup.js'],
};
