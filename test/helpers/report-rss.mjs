// Preloaded with `node --import` into a child process whose peak memory a test measures: prints the
// process's peak RSS in bytes as the last line of stderr when it exits.
process.on('exit', () => process.stderr.write(`\nmaxRSS ${process.resourceUsage().maxRSS * 1024}\n`));
