#!/usr/bin/env node
// Thin shim: the CLI lives in dist/ (built by `npm run build`, run automatically by `npm install`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
