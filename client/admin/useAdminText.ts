/**
 * Wording shared by the admin sections: a field's problem, a refused call, an age, a time. In one
 * place so every form says "必填" the same way and every refusal names its cause the same way.
 */
import { useI18n } from 'vue-i18n';
import type { CallError } from '../http';
import type { FieldProblem } from './validate';

/** Refusals the console words itself; every other code reads as the client's errors table says. */
const OWN_ERRORS = new Set(['NETWORK', 'REQ_VALIDATION', 'AUTH_FORBIDDEN']);
const PATTERN_HINTS = new Set(['username', 'scope', 'from', 'to']);

export function useAdminText() {
  const i18n = useI18n();
  const { locale } = i18n;
  const t = (key: string, params: Record<string, unknown> = {}): string => i18n.t(key, params);
  const te = (key: string): boolean => i18n.te(key);

  const problem = (p: FieldProblem | undefined): string => {
    if (!p) return '';
    switch (p.kind) {
      case 'required':
      case 'choose':
      case 'invalid':
        return t(`admin.form.${p.kind}`);
      case 'tooShort':
      case 'tooLong':
        return t(`admin.form.${p.kind}`, { n: p.n });
      case 'pattern':
        return PATTERN_HINTS.has(p.field) ? t(`admin.form.pattern.${p.field}`) : t('admin.form.invalid');
    }
  };

  const failure = (error: CallError): string => {
    if (OWN_ERRORS.has(error.code)) return t(`admin.errors.${error.code}`, { message: error.message });
    if (te(`errors.${error.code}`)) return t(`errors.${error.code}`);
    return t('admin.errors.unknown', { message: error.message || error.code });
  };

  /** A span of time in its largest whole unit: `ago` (3 秒前) or a duration (3 秒). */
  const span = (kind: 'ago' | 'duration', ms: number): string => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return t(`admin.${kind}.s`, { n: s });
    if (s < 3600) return t(`admin.${kind}.m`, { n: Math.floor(s / 60) });
    return t(`admin.${kind}.h`, { n: Math.floor(s / 3600) });
  };
  const ago = (ms: number) => span('ago', ms);
  const duration = (ms: number) => span('duration', ms);

  /** Date and time to the second, in the reader's locale. */
  const time = (at: number | string): string =>
    new Date(at).toLocaleString(locale.value, { hour12: false, dateStyle: 'short', timeStyle: 'medium' });

  return { t, te, problem, failure, ago, duration, time };
}
