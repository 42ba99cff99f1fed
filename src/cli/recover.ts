/** `tsfile recover FILE [-o OUT] [--dry-run]`: keep every complete chunk group of a file whose writer died, and write a valid index. */
import { createReadStream } from 'node:fs';
import { planRecovery } from '../writer/recover.js';
import type { CommandArgs, CommandSpec } from './args.js';
import { FORCE_OPTION } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, withOutputFile } from './outputs.js';

export const recoverCommand: CommandSpec = {
  name: 'recover',
  summary: 'repair a file whose writer died: keep complete chunk groups, rebuild the index',
  usage: ['FILE [-o OUT] [--dry-run] [--index-degree N]'],
  description: `Repairs FILE when its writer did not finish (no footer): scans the data section, keeps every
complete chunk group and writes a new index and footer after it. The repaired file is written
beside its target and moved into place once complete: over FILE (default), or as OUT with -o,
leaving FILE as it was. A complete file is left untouched.`,
  positionals: { min: 1, max: 1, names: 'one FILE' },
  options: [
    { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'write the repaired file to OUT instead of replacing FILE' },
    FORCE_OPTION,
    { name: 'dry-run', type: 'flag', help: 'report what would be kept, write nothing' },
    { name: 'index-degree', type: 'int', min: 2, max: 1 << 16, arg: 'N', help: 'most children of a metadata index node (default 256)' },
  ],
  run: runRecover,
};

async function runRecover(args: CommandArgs, io: CliIo): Promise<number> {
  const file = args.positionals[0]!;
  const out = args.string('output');
  const force = args.flag('force');
  const dry = args.flag('dry-run');
  if (out !== undefined && !dry) await checkOutputs([file], [out], force);
  const degree = args.int('index-degree');
  const { result: r, index } = await planRecovery(file, degree === undefined ? {} : { maxIndexDegree: degree });
  const target = out ?? file;
  if (r.status === 'complete' && out === undefined) {
    io.stdout.write(`${file}: complete, nothing to recover (${r.finalSize} bytes)\n`);
    return 0;
  }
  if (!dry) {
    // The kept data section, then the new index: a new file, moved over the target once complete.
    await withOutputFile(target, out === undefined || force, async (sink) => {
      if (r.keptDataBytes > 0) {
        for await (const chunk of createReadStream(file, { start: 0, end: r.keptDataBytes - 1, signal: io.signal })) await sink.write(chunk as Buffer);
      }
      await sink.write(index);
    }, io.signal);
  }
  const verb = dry ? 'would recover' : 'recovered';
  if (r.status === 'complete') io.stdout.write(`${file}: complete, ${dry ? 'would be copied' : 'copied'} to ${target} (${r.finalSize} bytes)\n`);
  else {
    io.stdout.write(
      `${file}: ${verb} ${r.chunkGroups} chunk groups (${r.chunks} chunks); ${dry ? 'would keep' : 'kept'} ${r.keptDataBytes} of ${r.originalSize} bytes, ${dry ? 'would be' : 'now'} ${r.finalSize} bytes${target !== file ? ` in ${target}` : ''}\n`,
    );
  }
  return 0;
}
