// The source files the architecture tests read: every .ts under packages/<name>/src, tests and
// declaration files left out, in a stable order.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's `packages/` folder. */
export const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

function isSource(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts') && !name.endsWith('.d.ts')
}

/** Every source file below `dir`, sorted. */
export function sourcesIn(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) sourcesIn(path, out)
    else if (isSource(name)) out.push(path)
  }
  return out
}

/** Each package's `src` folder that exists: `[package folder name, path]`. */
export function packageSources(): [string, string][] {
  return readdirSync(packagesDir)
    .sort()
    .map((pkg): [string, string] => [pkg, join(packagesDir, pkg, 'src')])
    .filter(([, src]) => existsSync(src) && statSync(src).isDirectory())
}
