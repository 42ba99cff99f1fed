/** `tsfile view FILE|URL [--port N]`: the viewer page on a local server (127.0.0.1), until interrupted. */
import { startViewerServer } from '../viewer/server.js';
import type { CommandArgs, CommandSpec } from './args.js';
import type { CliIo } from './io.js';

export const viewCommand: CommandSpec = {
  name: 'view',
  summary: 'the viewer page (tree, statistics, chart) on a local server',
  usage: ['FILE|URL [--port N]'],
  description: `Starts the viewer on http://127.0.0.1 (the address is printed; Ctrl-C stops it): the devices and
tables, each series' statistics, and a chart of the checked series — min/max envelopes from page
statistics when zoomed out, decoded points of the pages in view when zoomed in. A local FILE is
served read-only with range requests; a URL is opened by the page itself (its server must allow
CORS and Range). The same page works from any static host: index.html?url=…, the file picker, or
drag and drop.`,
  positionals: { min: 1, max: 1, names: 'one FILE or URL' },
  options: [{ name: 'port', type: 'int', min: 0, max: 65535, arg: 'N', help: 'listen on port N (default: any free port)' }],
  run: runView,
};

async function runView(args: CommandArgs, io: CliIo): Promise<number> {
  const target = args.positionals[0]!;
  const remote = /^https?:\/\//i.test(target);
  const server = await startViewerServer({ ...(remote ? { url: target } : { file: target }), port: args.int('port') ?? 0 });
  io.stdout.write(`tsfile view: ${server.pageUrl}\n`);
  // Serves until the command is cancelled (Ctrl-C) or terminated.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (io.signal?.aborted) return stop();
    io.signal?.addEventListener('abort', stop, { once: true });
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
