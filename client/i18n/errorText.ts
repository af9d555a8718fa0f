/**
 * The words for a refusal's code, in the page's language. The server's `message` is for logs and
 * API callers; a person reads these, so every screen says the same thing for the same code.
 */
import { useI18n } from 'vue-i18n';

export function useErrorText(): (code: string | undefined) => string {
  const i18n = useI18n();
  return (code) => (code && i18n.te(`errors.${code}`) ? i18n.t(`errors.${code}`) : i18n.t('errors.unknown'));
}
