/**
 * For tools that read client/*.ts with plain TypeScript (typescript-eslint's project service):
 * vue-tsc resolves .vue files itself, everything else sees them through this declaration.
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
