/**
 * The phone's ring for a new offer: a short two-tone chime through Web Audio and a vibration where
 * the browser allows them. Browsers allow sound only after the page was touched once, so the audio
 * context is unlocked by the first touch (`unlockRing`); before that the banner alone shows it.
 */
let context: AudioContext | null = null;

/** Call from a touch or click handler: makes later rings audible. */
export function unlockRing(): void {
  if (context === null && typeof AudioContext !== 'undefined') context = new AudioContext();
  void context?.resume();
}

export function ring(): void {
  // navigator.vibrate is absent on some browsers (Safari) and refused before any touch on others.
  if (typeof navigator.vibrate === 'function') navigator.vibrate([300, 150, 300]);
  if (context === null || context.state !== 'running') return;
  const start = context.currentTime;
  for (const [i, hz] of [880, 1175, 880, 1175].entries()) {
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.frequency.value = hz;
    gain.gain.setValueAtTime(0.25, start + i * 0.22);
    gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.22 + 0.2);
    tone.connect(gain).connect(context.destination);
    tone.start(start + i * 0.22);
    tone.stop(start + i * 0.22 + 0.21);
  }
}
