/** Progress on stderr for long work, only when stderr is a terminal (never pollutes pipes or logs). */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function progress(stderr: NodeJS.WritableStream, label: string, total: number, unit = 'points'): Progress {
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(done) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const pct = total > 0 ? ` ${Math.min(100, (100 * done) / total).toFixed(1)}%` : '';
      const rate = done / Math.max(1e-3, (now - started) / 1000);
      stderr.write(`\r${label}${pct} ${done.toLocaleString('en-US')} ${unit} (${Math.round(rate).toLocaleString('en-US')} ${unit}/s)   `);
    },
    finish() {
      if (tty && shown) stderr.write('\n');
    },
  };
}
