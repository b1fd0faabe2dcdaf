#!/usr/bin/env node
// Committed entry for the `spoti-mock` command, so package managers can link it before the
// package is built; the command itself is the built dist/cli.js.
import '../dist/cli.js';
