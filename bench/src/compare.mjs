// `node bench/src/quick.mjs --compare <git-ref>`: the in-process cases on this checkout's build
// (A) and on <ref>'s build (B), interleaved in one process. <ref> is checked out into a
// temporary git worktree; its node_modules links to this checkout's packages when both lock
// files are identical (its own @authspec/* workspaces linked to its own packages), else it runs
// `npm ci` there; then core, hono and the Express adapter are built there. The worktree is
// removed afterwards (`--keep` leaves it). This checkout must be built (`npm run build`).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFixtures } from './fixtures.mjs'
import { compareBuilds } from './inprocess.mjs'
import { modulesAt } from './inprocess-cases.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// The Express adapter's folder was `packages/express-adapter` before it took its package's name.
const PACKAGES = ['packages/core', 'packages/hono', 'packages/express', 'packages/express-adapter']

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${result.stderr || result.stdout || result.error}`)
  return result.stdout.trim()
}

/** The workspaces of a checkout: `{ name, path }` for each that exists there. */
function workspaces(dir) {
  const list = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).workspaces ?? []
  return list.filter((path) => existsSync(join(dir, path, 'package.json'))).map((path) => ({ path, name: JSON.parse(readFileSync(join(dir, path, 'package.json'), 'utf8')).name }))
}

/**
 * node_modules for the other checkout without installing: every entry links to this checkout's,
 * except the workspace packages, which link to the other checkout's own.
 */
function linkNodeModules(dir) {
  const own = workspaces(dir)
  const target = join(dir, 'node_modules')
  mkdirSync(target)
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry.startsWith('@')) {
      mkdirSync(join(target, entry))
      for (const sub of readdirSync(join(ROOT, 'node_modules', entry))) {
        if (own.some((w) => w.name === `${entry}/${sub}`)) continue
        symlinkSync(join(ROOT, 'node_modules', entry, sub), join(target, entry, sub))
      }
    } else if (!own.some((w) => w.name === entry)) {
      symlinkSync(join(ROOT, 'node_modules', entry), join(target, entry))
    }
  }
  for (const { name, path } of own) {
    const link = join(target, name)
    mkdirSync(dirname(link), { recursive: true })
    rmSync(link, { force: true })
    symlinkSync(relative(dirname(link), join(dir, path)), link)
  }
}

/** Check out `ref` into a temporary worktree, install (link or npm ci) and build it. */
export function prepareRef(ref, { log = () => {} } = {}) {
  const sha = run('git', ['rev-parse', '--verify', `${ref}^{commit}`], ROOT)
  const dir = mkdtempSync(join(tmpdir(), 'authspec-compare-'))
  run('git', ['worktree', 'add', '--detach', dir, sha], ROOT)
  const cleanup = () => {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT })
    rmSync(dir, { recursive: true, force: true })
    spawnSync('git', ['worktree', 'prune'], { cwd: ROOT })
  }
  try {
    const sameLock = existsSync(join(dir, 'package-lock.json')) && readFileSync(join(ROOT, 'package-lock.json'), 'utf8') === readFileSync(join(dir, 'package-lock.json'), 'utf8')
    const install = sameLock ? 'linked node_modules (same package-lock.json)' : 'npm ci'
    log(`compare: ${ref} (${sha.slice(0, 12)}) in ${dir}: ${install}`)
    if (sameLock) linkNodeModules(dir)
    else run('npm', ['ci', '--no-audit', '--no-fund'], dir)
    for (const path of PACKAGES) {
      if (!existsSync(join(dir, path, 'package.json'))) continue
      log(`compare: building ${path}`)
      run('npm', ['run', 'build'], join(dir, path))
    }
    return { sha, dir, install, cleanup }
  } catch (error) {
    cleanup()
    throw error
  }
}

/** Compare this checkout (A) with `ref` (B); returns the per-case figures and the verdict lists. */
export async function runCompare(ref, { keep = false, log = () => {}, verbose = false, only, settings } = {}) {
  const prepared = prepareRef(ref, { log })
  if (!keep) process.once('exit', prepared.cleanup)
  try {
    if ((await modulesAt(prepared.dir)).core === undefined) throw new Error(`${ref}: @authspec/core did not build or load`)
    const cases = await compareBuilds({ fixtures: await createFixtures(), otherDir: prepared.dir, only, settings, verbose })
    for (const [key, c] of Object.entries(cases)) {
      const text = c.skipped !== undefined ? `skipped: ${c.skipped}` : `${c.ratio}× [${c.ci.join(', ')}] cpu ${c.cpu_ratio}× → ${c.verdict} (${c.current_ns} vs ${c.other_ns} ns, ${c.pairs} pairs)`
      console.error(`${key.padEnd(24)} ${text}`)
    }
    const by = (v) => Object.keys(cases).filter((key) => cases[key].verdict === v)
    return {
      compare: { current: run('git', ['rev-parse', 'HEAD'], ROOT), ref, sha: prepared.sha, install: prepared.install, kept: keep ? prepared.dir : null },
      ratio: 'time on the current checkout / time on ref (below 1: current is faster)',
      cases,
      faster: by('faster'),
      slower: by('slower'),
      same: by('same'),
    }
  } finally {
    if (!keep) {
      prepared.cleanup()
      process.removeListener('exit', prepared.cleanup)
    }
  }
}
