/**
 * For tools that read client/*.ts with plain TypeScript (typescript-eslint's project service):
 * vue-tsc resolves .vue files itself, everything else sees them through this declaration.
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}

/** The client build: package version and build time (vite.config.ts), reported by each wall to the admin console. */
declare const __APP_VERSION__: string;
