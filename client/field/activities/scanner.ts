/**
 * Reading a node's QR code with the phone's camera: the browser's own BarcodeDetector where it has
 * one (Android's Chrome), else the `barcode-detector` ponyfill (ZXing compiled to WebAssembly),
 * loaded only then, its .wasm served by this server (the library would fetch it from a CDN).
 */
export interface QrDetector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

export async function qrDetector(): Promise<QrDetector> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native && (await Native.getSupportedFormats()).includes('qr_code')) return new Native({ formats: ['qr_code'] });
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
    import('barcode-detector/ponyfill'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ]);
  prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  });
  return new BarcodeDetector({ formats: ['qr_code'] });
}

/** The back camera's stream; null when the phone has none or the page may not use it (http, refused). */
export async function backCamera(): Promise<MediaStream | null> {
  // Absent on plain http (not a secure context), whatever the types say.
  const media = (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
  if (!media) return null;
  try {
    return await media.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch {
    return null;
  }
}

/** Where the phone is, when it says (location allowed, a fix within the time); null otherwise. */
export function currentPosition(timeoutMs = 8_000): Promise<{ lat: number; lon: number } | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    ),
  );
}
