/** A question the person must answer before a consequential act; `ask` resolves with the answer. */
import { ref } from 'vue';

export interface Question {
  message: string;
  /** The confirming button's text, e.g. 再次确认 on a second ask; 确定 by default. */
  ok?: string;
}

export function useConfirm() {
  const question = ref<Question | null>(null);
  let pending: ((yes: boolean) => void) | null = null;

  function ask(message: string, ok?: string): Promise<boolean> {
    pending?.(false);
    question.value = ok === undefined ? { message } : { message, ok };
    return new Promise((resolve) => (pending = resolve));
  }
  function answer(yes: boolean): void {
    const resolve = pending;
    pending = null;
    question.value = null;
    resolve?.(yes);
  }
  return { question, ask, answer };
}
