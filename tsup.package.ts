// The build every publishable package shares: an ESM build and a CommonJS build of the same
// entry points, each with its own declarations (.d.ts / .d.cts).
//
// Dependencies that ship only ESM (ky, p-retry, @dicebear/*) cannot be `require()`d reliably by
// the CommonJS build: Node's require(esm) hands back a namespace object that esbuild's interop
// then wraps once more, so `default` is not the function. Those dependencies are bundled into the
// CommonJS output instead; the ESM build keeps every dependency external.
//
// Private workspace packages (`@spoti/internal`: code several packages share) are never published,
// so both builds bundle them: a package lists them under devDependencies, and its tarball has no
// run-time dependency on them. Their types must not appear in a public signature.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Options } from 'tsup';

/** What differs between packages. */
export interface PackageBuildOptions {
  /** Entry points, as tsup takes them. */
  readonly entry: Options['entry'];
  /** Entry points that get declarations (default: every entry). */
  readonly dtsEntry?: Options['entry'];
}

interface PackageJson {
  readonly private?: boolean;
  readonly type?: string;
  readonly main?: string;
  readonly exports?: unknown;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** True when an `exports` value offers a CommonJS file somewhere (a `require` condition or a `.cjs` target). */
function offersCommonJs(exports: unknown): boolean {
  if (typeof exports === 'string') return exports.endsWith('.cjs');
  if (exports === null || typeof exports !== 'object') return false;
  return Object.entries(exports).some(([key, value]) => key === 'require' || offersCommonJs(value));
}

/** True when a dependency's package.json describes an ESM-only package. */
export function isEsmOnly(pkg: PackageJson): boolean {
  if (pkg.exports !== undefined && offersCommonJs(pkg.exports)) return false;
  if (pkg.type === 'module') return true;
  return pkg.main?.endsWith('.mjs') ?? false;
}

/** The runtime dependencies of the package in `dir` that ship only ESM. */
export function esmOnlyDependencies(dir: string): string[] {
  const own = readJson(join(dir, 'package.json'));
  return Object.keys(own.dependencies ?? {}).filter((name) =>
    isEsmOnly(readJson(manifestOf(dir, name))),
  );
}

/** The development dependencies of the package in `dir` that are private workspace packages. */
export function privateWorkspaceDependencies(dir: string): string[] {
  const own = readJson(join(dir, 'package.json'));
  return Object.entries(own.devDependencies ?? {})
    .filter(
      ([name, range]) =>
        range.startsWith('workspace:') && readJson(manifestOf(dir, name)).private === true,
    )
    .map(([name]) => name);
}

/** The package.json of dependency `name` as Node would find it from `dir` (exports may hide it). */
function manifestOf(dir: string, name: string): string {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'node_modules', name, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(at) === at) throw new Error(`${name} is not installed (looked up from ${dir})`);
  }
}

/**
 * tsup configurations for the package in the current directory: `dist/` is emptied once, then
 * the ESM and CommonJS builds run side by side.
 */
export function packageBuild(options: PackageBuildOptions): Options[] {
  const dir = process.cwd();
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const dts = options.dtsEntry === undefined ? true : { entry: options.dtsEntry };
  const common: Options = {
    entry: options.entry,
    dts,
    sourcemap: true,
    clean: false,
    target: 'node20',
    // import.meta.url (used to find packaged files) in the CommonJS build.
    shims: true,
  };
  const bundled = privateWorkspaceDependencies(dir);
  return [
    { ...common, format: ['esm'], noExternal: bundled },
    { ...common, format: ['cjs'], noExternal: [...bundled, ...esmOnlyDependencies(dir)] },
  ];
}
