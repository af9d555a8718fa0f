/**
 * The console's shortcuts (see HelpOverlay): one window listener, silent while the dispatcher
 * types in a field, so a note with "j" in it never moves the selection.
 */
import { onBeforeUnmount, onMounted } from 'vue';

export interface KeyHandlers {
  next: () => void;
  previous: () => void;
  urgent: () => void;
  accept: () => void;
  quick: () => void;
  nth: (index: number) => void;
  search: () => void;
  note: () => void;
  order: () => void;
  help: () => void;
  escape: () => void;
}

const typing = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function keyAction(key: string, h: KeyHandlers): (() => void) | null {
  if (/^[1-9]$/.test(key)) return () => h.nth(Number(key) - 1);
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return h.next;
    case 'k':
    case 'ArrowUp':
      return h.previous;
    case 'g':
      return h.urgent;
    case 'a':
      return h.accept;
    case 'd':
      return h.quick;
    case '/':
      return h.search;
    case 'n':
      return h.note;
    case 'o':
      return h.order;
    case '?':
      return h.help;
    case 'Escape':
      return h.escape;
    default:
      return null;
  }
}

export function useKeyboard(handlers: KeyHandlers): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const action = keyAction(e.key, handlers);
    if (!action) return;
    e.preventDefault();
    action();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
