/**
 * Lets the event loop turn. Native codecs (napi addons) free their output buffers only then, so
 * long decode loops call this every few megabytes to keep memory flat.
 */
const hasSetImmediate = typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function';

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (hasSetImmediate) (globalThis as unknown as { setImmediate(cb: () => void): void }).setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Bytes of decoded output after which a decode loop yields. */
export const YIELD_EVERY_BYTES = 16 * 1024 * 1024;
