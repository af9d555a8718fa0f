/**
 * Text from a dashboard file: an i18n key of the wall's messages, or literal text per locale (a
 * county can title its own panels without a code change). An unknown key is shown as written.
 */
import { useI18n } from 'vue-i18n';
import type { Label } from '../../shared/label';

export function useLabel(): (label: Label | undefined) => string {
  const i18n = useI18n();
  const { locale } = i18n;
  const t = (key: string) => i18n.t(key);
  const te = (key: string) => i18n.te(key);
  return (label) => {
    if (label === undefined) return '';
    if (typeof label !== 'string') return locale.value === 'en' ? label.en : label['zh-CN'];
    return te(label) ? t(label) : label;
  };
}
