// Node 24 and Deno for the runtime matrix (packages/core/test/runtimes.test.ts) live in
// tools/runtimes, a separate npm package (not a workspace, so its `node` never shadows the
// system one). ensureRuntimes() runs `npm ci` there when its node_modules is missing or does not
// match its lockfile; `node scripts/runtimes.mjs` does it from the command line.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const tools = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'runtimes')

/** True when every package of tools/runtimes/package-lock.json is installed at its locked version. */
export function runtimesInstalled() {
  let installed
  try {
    installed = JSON.parse(readFileSync(join(tools, 'node_modules', '.package-lock.json'), 'utf8')).packages
  } catch {
    return false
  }
  const locked = JSON.parse(readFileSync(join(tools, 'package-lock.json'), 'utf8')).packages
  return Object.entries(locked).every(([path, entry]) => path === '' || installed[path]?.version === entry.version)
}

/** Install tools/runtimes unless it is already installed as locked; throws when npm fails. */
export function ensureRuntimes() {
  if (runtimesInstalled()) return
  console.log('== installing Node 24 and Deno into tools/runtimes for the runtime matrix (npm ci, binaries only)')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const install = spawnSync(npm, ['ci', '--prefix', tools, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 600_000 })
  if (install.status !== 0) throw new Error(`npm ci --prefix tools/runtimes failed (exit ${install.status ?? install.signal})`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureRuntimes()
