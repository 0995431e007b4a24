/**
 * The sound of time up: three short tones made by the browser (no file to download, nothing from outside).
 * Browsers allow sound only after someone has used the page, so the context is created, and resumed, on the
 * first key or tap; before that the end is visible only.
 */
let context: AudioContext | null = null;
for (const type of ['pointerdown', 'keydown']) {
  addEventListener(type, () => void (context ??= new AudioContext()).resume(), { capture: true, once: true });
}

export function chime(): void {
  if (!context || context.state !== 'running') return;
  const start = context.currentTime;
  for (const [i, frequency] of [880, 660, 880].entries()) {
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.0001, start + i * 0.35);
    volume.gain.exponentialRampToValueAtTime(0.4, start + i * 0.35 + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.3);
    tone.connect(volume).connect(context.destination);
    tone.start(start + i * 0.35);
    tone.stop(start + i * 0.35 + 0.32);
  }
}
