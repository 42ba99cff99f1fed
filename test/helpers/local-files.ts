/** Test setup: the local file source and sink, as the Node entry installs them. */
import '../../src/local-files.js';
