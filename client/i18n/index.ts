/** vue-i18n set-up: zh-CN by default; `?lang=en` (or the server's ClientConfig.locale) switches. */
import { createI18n } from 'vue-i18n';
import zhCN, { type Messages } from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const isLocale = (value: string | null): value is Locale => LOCALES.some((l) => l === value);

/** `?lang=en` wins over the server's default so one screen can be switched without redeploying. */
export function localeFromUrl(search: string): Locale | null {
  const lang = new URLSearchParams(search).get('lang');
  return isLocale(lang) ? lang : null;
}

/** Typed by the message schema: a locale missing a message, or with one too many, fails the type check. */
export const i18n = createI18n<[Messages], Locale, false>({
  // vue-i18n 11 still defaults to its legacy API; the option goes (deprecated) when v12 drops that API.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  legacy: false,
  locale: localeFromUrl(window.location.search) ?? 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}
