/**
 * Runs in the browser, bundled from the native-free entry: reads TsFiles through openUrl and
 * returns their canonical CSV, so the test can compare it with the fixtures' expected CSVs.
 */
import { exportCsv, openUrl, StringSink } from '../../native-free/index.js';

async function readAll(urls: string[], options: Record<string, number>): Promise<{ url: string; csv?: string; error?: string }[]> {
  const out: { url: string; csv?: string; error?: string }[] = [];
  for (const url of urls) {
    try {
      const reader = await openUrl(url, options);
      const sink = new StringSink();
      await exportCsv(reader, sink);
      await reader.close();
      out.push({ url, csv: sink.toString() });
    } catch (e) {
      out.push({ url, error: String((e as Error).stack ?? e) });
    }
  }
  return out;
}

(globalThis as { readAll?: typeof readAll }).readAll = readAll;
