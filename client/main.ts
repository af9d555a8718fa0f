/** Boots the client: the wall token (if opened with one), Pinia, the router, i18n, global styles, then the App. */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { adoptUrlToken } from './auth';
import { i18n, setLocale } from './i18n';
import { createAppRouter } from './router';
import './styles/base.css';
import './styles/switch.css';

adoptUrlToken();
setLocale(i18n.global.locale.value);
createApp(App).use(createPinia()).use(createAppRouter()).use(i18n).mount('#app');
