/**
 * Progress on stderr for long work, only when stderr is a terminal (never pollutes pipes or logs):
 * done / total as a percentage with an ETA when the total is known, the rate always. The line is
 * redrawn with `\r`; `freshLine` ends it so that a following message starts on its own line.
 */
export interface Progress {
  /** `done` in the unit of `total` (points, rows, bytes); `shown` overrides the count printed. */
  update(done: number, shown?: number): void;
  finish(): void;
}

/** Streams with a progress line drawn and not yet ended. */
const openLines = new WeakSet<object>();

/** Ends a progress line on `stream`, if one is drawn, so the next write starts a line. */
export function freshLine(stream: NodeJS.WritableStream): void {
  if (openLines.has(stream)) {
    openLines.delete(stream);
    stream.write('\n');
  }
}

export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A progress line; `unit` names what `shown` counts (default: what `done` counts). */
export function progress(stderr: NodeJS.WritableStream, label: string, total: number, unit = 'points'): Progress {
  const tty = isTerminal(stderr);
  const started = performance.now();
  let last = 0;
  return {
    update(done, shown = done) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const secs = Math.max(1e-3, (now - started) / 1000);
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const pct = total > 0 ? ` ${(100 * fraction).toFixed(1)}%` : '';
      const eta = total > 0 && fraction > 0 ? ` ETA ${duration((secs * (1 - fraction)) / fraction)}` : '';
      const rate = shown / secs;
      stderr.write(`\r${label}${pct} ${Math.round(shown).toLocaleString('en-US')} ${unit} (${Math.round(rate).toLocaleString('en-US')} ${unit}/s)${eta}   `);
      openLines.add(stderr);
    },
    finish() {
      freshLine(stderr);
    },
  };
}
