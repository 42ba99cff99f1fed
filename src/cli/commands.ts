/** Every `tsfile` command, in the order `tsfile help` lists them. A new command is one more entry here. */
import type { CommandSpec } from './args.js';
import { benchCommand } from './bench.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { loadCommand } from './load.js';
import { recoverCommand } from './recover.js';
import { rewriteCommand } from './rewrite.js';
import { sqlCommand } from './sql.js';
import { viewCommand } from './view.js';

export const COMMANDS: readonly CommandSpec[] = [infoCommand, exportCommand, rewriteCommand, importCommand, recoverCommand, loadCommand, sqlCommand, viewCommand, benchCommand];
