#!/usr/bin/env node
// Size report: lists source files over 600 lines and functions over 80 lines in
// packages/*/src and examples/*/src. It exits 0 unless `--check` is given: then it exits 1 when
// anything is over (CI runs it so).
//
// Usage: node scripts/size-report.mjs [--check] [--max-file-lines N] [--max-function-lines N]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceExtensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs'];

function readLimit(flag, fallback) {
  const at = process.argv.indexOf(flag);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `${flag} needs a positive whole number, got ${process.argv[at + 1] ?? 'nothing'}`,
    );
    process.exit(2);
  }
  return value;
}

const maxFileLines = readLimit('--max-file-lines', 600);
const maxFunctionLines = readLimit('--max-function-lines', 80);

/** Directories `<group>/<name>/src` that exist under the repository root. */
function sourceRoots() {
  const roots = [];
  for (const group of ['packages', 'examples']) {
    let names = [];
    try {
      names = readdirSync(join(root, group));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const src = join(root, group, name, 'src');
      try {
        if (statSync(src).isDirectory()) roots.push(src);
      } catch {
        // no src folder in this package
      }
    }
  }
  return roots;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sourceFiles(path);
    } else if (
      sourceExtensions.some((ext) => entry.name.endsWith(ext)) &&
      !entry.name.endsWith('.d.ts')
    ) {
      yield path;
    }
  }
}

function lineCount(text) {
  if (text.length === 0) return 0;
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? lines - 1 : lines;
}

function scriptKind(path) {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.ts') || path.endsWith('.mts') || path.endsWith('.cts'))
    return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** A readable name for a function-like node: its own name, or the variable/property it is assigned to. */
function functionName(node, sourceFile) {
  if (ts.isConstructorDeclaration(node)) {
    const owner = node.parent.name?.getText(sourceFile) ?? 'class';
    return `${owner} constructor`;
  }
  if (node.name) {
    const own = node.name.getText(sourceFile);
    if (ts.isClassLike(node.parent) && node.parent.name) {
      return `${node.parent.name.getText(sourceFile)}.${own}`;
    }
    return own;
  }
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
    return parent.name.getText(sourceFile);
  }
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(sourceFile);
  return '(anonymous)';
}

function functionsOver(sourceFile, limit) {
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) {
        found.push({ name: functionName(node, sourceFile), line: start + 1, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const bigFiles = [];
const bigFunctions = [];
let fileTotal = 0;
for (const src of sourceRoots()) {
  for (const path of sourceFiles(src)) {
    fileTotal += 1;
    const text = readFileSync(path, 'utf8');
    const rel = relative(root, path);
    const lines = lineCount(text);
    if (lines > maxFileLines) bigFiles.push({ rel, lines });
    const sourceFile = ts.createSourceFile(
      path,
      text,
      ts.ScriptTarget.Latest,
      true,
      scriptKind(path),
    );
    for (const fn of functionsOver(sourceFile, maxFunctionLines)) {
      bigFunctions.push({ rel, ...fn });
    }
  }
}

bigFiles.sort((a, b) => b.lines - a.lines);
bigFunctions.sort((a, b) => b.lines - a.lines);

console.log(`size report: ${fileTotal} source files in packages/*/src and examples/*/src`);
console.log(`\nfiles over ${maxFileLines} lines: ${bigFiles.length}`);
for (const file of bigFiles) console.log(`  ${String(file.lines).padStart(5)}  ${file.rel}`);
console.log(`\nfunctions over ${maxFunctionLines} lines: ${bigFunctions.length}`);
for (const fn of bigFunctions) {
  console.log(`  ${String(fn.lines).padStart(5)}  ${fn.rel}:${fn.line}  ${fn.name}`);
}
if (process.argv.includes('--check') && bigFiles.length + bigFunctions.length > 0) {
  console.error(
    `\nsize check failed: split by concept until no file is over ${maxFileLines} lines and no function over ${maxFunctionLines}`,
  );
  process.exit(1);
}
