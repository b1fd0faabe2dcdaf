#!/usr/bin/env node
// Committed entry for the `spoti` command, so package managers can link it before the package
// is built; the command itself is the built dist/bin.js.
import '../dist/bin.js';
