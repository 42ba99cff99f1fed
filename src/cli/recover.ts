/** `tsfile recover FILE`: keep every complete chunk group of a file whose writer died, and write a valid index. */
import { recoverTsFile } from '../writer/recover.js';
import { intOption, parseArgs } from './args.js';
import type { CliIo } from './io.js';

export const RECOVER_HELP = `Usage: tsfile recover FILE [--index-degree N]

Repairs FILE in place when its writer did not finish (no footer): scans the data section, keeps
every complete chunk group, truncates what follows and writes a new index and footer. A complete
file is left untouched.`;

export async function runRecover(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['index-degree']);
  if (args.options.has('help')) {
    io.stdout.write(`${RECOVER_HELP}\n`);
    return 0;
  }
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    io.stderr.write(`${RECOVER_HELP}\n`);
    return 2;
  }
  const degree = intOption(args, 'index-degree');
  const r = await recoverTsFile(file, degree === undefined ? {} : { maxIndexDegree: degree });
  if (r.status === 'complete') io.stdout.write(`${file}: complete, nothing to recover (${r.finalSize} bytes)\n`);
  else {
    io.stdout.write(
      `${file}: recovered ${r.chunkGroups} chunk groups (${r.chunks} chunks); kept ${r.keptDataBytes} of ${r.originalSize} bytes, now ${r.finalSize} bytes\n`,
    );
  }
  return 0;
}
