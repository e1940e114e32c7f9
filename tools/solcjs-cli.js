#!/usr/bin/env node
// A solc command line for py-solc-x (and so Brownie) on machines where no native solc can be
// downloaded. It answers the two calls py-solc-x makes, `--version` and `--standard-json`, with
// the npm `solc` package's JS API, which (unlike the solcjs CLI) prints nothing but the JSON and
// never truncates its output on a pipe.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

function optionValues(args, name) {
  const out = [];
  args.forEach((arg, i) => {
    if (arg === name && i + 1 < args.length) out.push(...args[i + 1].split(','));
    else if (arg.startsWith(name + '=')) out.push(...arg.slice(name.length + 1).split(','));
  });
  return out.filter(Boolean);
}

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes('--standard-json')) {
  const basePath = optionValues(args, '--base-path')[0] || process.cwd();
  const roots = [basePath, ...optionValues(args, '--allow-paths'), ...optionValues(args, '--include-path')]
    .map((p) => path.resolve(p));
  // Imports are read only from the allowed folders, as native solc does.
  const findImport = (name) => {
    for (const root of [path.resolve(basePath), ...roots]) {
      const file = path.resolve(root, name);
      if (!roots.some((r) => file === r || file.startsWith(r + path.sep))) continue;
      if (fs.existsSync(file)) return { contents: fs.readFileSync(file, 'utf8') };
    }
    return { error: `File not found in allowed paths: ${name}` };
  };
  const input = fs.readFileSync(0, 'utf8');
  process.stdout.write(solc.compile(input, { import: findImport }));
} else {
  process.stderr.write('usage: solcjs-cli.js --version | --standard-json [--base-path P] [--allow-paths P,...]\n');
  process.exit(2);
}
