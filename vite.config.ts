import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import pkg from './package.json' with { type: 'json' };

/** The wall client: built into dist/client (served by the server); in dev, API and socket go to it. */
const server = 'http://localhost:3000';
/** `0.1.0+20261206.2045`: the admin console shows it per screen, so a screen still on an old build stands out. */
const version = `${pkg.version}+${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '.')}`;

export default defineConfig({
  root: 'client',
  plugins: [vue()],
  // vue-i18n's esm-bundler build reads these flags; setting them drops the legacy API and devtools
  // hooks from the bundle and silences its "configure feature flags" warning.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __APP_VERSION__: JSON.stringify(version),
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries in their own files: a wall reloading after a client change re-fetches only the app.
        codeSplitting: {
          groups: [
            // Vue on its own: left to the groups' default, rolldown put it with vue-echarts in the
            // ECharts chunk, and every page imported ECharts to get Vue.
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/, priority: 2 },
            // vue-echarts with ECharts: in the vendor chunk it would make every page import ECharts.
            { name: 'echarts', test: /node_modules[\\/](vue-)?echarts[\\/]/ },
            { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 1 },
            { name: 'leaflet', test: /node_modules[\\/]leaflet[\\/]/ },
            // Loaded only when someone exports a PNG (client/exports/png.ts), never with the wall.
            { name: 'screenshot', test: /node_modules[\\/]modern-screenshot[\\/]/, priority: 1 },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      // With the slash: a bare '/api' prefix would also send source modules like /api.ts to the server.
      '/api/': { target: server, changeOrigin: true },
      '/socket.io': { target: server, ws: true, changeOrigin: true },
    },
  },
});
