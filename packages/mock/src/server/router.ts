import type { Route } from './context.js';

interface Compiled {
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly pattern: string;
}

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method'; readonly pattern: string }
  | { readonly kind: 'removed'; readonly pattern: string }
  | { readonly kind: 'none' };

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function compile(pattern: string): Compiled {
  const names: string[] = [];
  const source = pattern
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  return { regex: new RegExp(`^${source}$`), names, pattern };
}

/** Matches method + path against route patterns like `/v1/me/top/{type}`. */
export class Router {
  private readonly routes: { compiled: Compiled; route: Route }[];
  private readonly removed: Compiled[];

  constructor(routes: readonly Route[], removedPatterns: readonly string[]) {
    // Literal segments win over parameters: routes with fewer parameters are tried first.
    this.routes = routes
      .map((route) => ({ compiled: compile(route.pattern), route }))
      .sort((a, b) => a.compiled.names.length - b.compiled.names.length);
    this.removed = removedPatterns.map(compile);
  }

  match(method: string, path: string): RouteMatch {
    let methodMismatch: string | undefined;
    for (const { compiled, route } of this.routes) {
      const found = compiled.regex.exec(path);
      if (found === null) continue;
      if (route.method !== method) {
        methodMismatch ??= compiled.pattern;
        continue;
      }
      const params: Record<string, string> = {};
      compiled.names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? '');
      });
      return { kind: 'route', route, params };
    }
    if (methodMismatch !== undefined) return { kind: 'method', pattern: methodMismatch };
    for (const compiled of this.removed) {
      if (compiled.regex.test(path)) return { kind: 'removed', pattern: compiled.pattern };
    }
    return { kind: 'none' };
  }
}
