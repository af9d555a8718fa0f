/** One shared once-a-second clock for the header clock and freshness hints (not one timer each). */
import { readonly, ref, type Ref } from 'vue';

const now = ref(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;

export function useNow(): Readonly<Ref<number>> {
  // Lives as long as the page: the wall never unmounts its header.
  timer ??= setInterval(() => (now.value = Date.now()), 1000);
  return readonly(now);
}
