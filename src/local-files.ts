/**
 * Local file access for the Node entry and the CLI: installs the file source as the reader's path
 * opener and the file sink as the writer's path sink. The core modules only call what is
 * installed here, so they never import Node themselves.
 */
import { FileSource } from './io/file-source.js';
import { installPathOpener } from './io/path-opener.js';
import { FileSink } from './writer/file-sink.js';
import { installPathSink } from './writer/path-sink.js';

installPathOpener((path) => FileSource.open(path));
installPathSink((path) => FileSink.create(path));
