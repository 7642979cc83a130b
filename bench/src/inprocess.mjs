// In-process measure of what authspec adds (issue 21): each target's two sides run in one
// process, without sockets, in interleaved A/B rounds (interleave.mjs); a target's figure is the
// median pair ratio with a bootstrap 95% interval, and its verdict says whether the interval
// lies on the right side of the bound (`met`), the wrong side (`missed`) or across it.
// Each target runs in its own child process (a fresh V8). `node src/inprocess.mjs [--budget ms]
// [--only key,key] [--verbose]` prints one JSON line.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createFixtures, loadFixtures, saveFixtures } from './fixtures.mjs'
import {
  apiKeyStoreCases,
  currentModules,
  expressEnforceOpenAPI,
  expressFloorHeaders,
  expressPassport,
  expressRequireAuth,
  fastJwtCachedCase,
  honoEnforceOpenAPI,
  honoFloorHeaders,
  honoFloorKeepingHeaders,
  honoRequireAuth,
  joseCase,
  jwtCase,
  modulesAt,
} from './inprocess-cases.mjs'
import { compareVerdict, interleave, pooledFigure, verdict } from './interleave.mjs'
import { median } from './stats.mjs'
import { TARGETS } from './report.mjs'
import { isMain } from './stats.mjs'

/**
 * The targets measured in process. `a` is authspec, `b` what it is compared with; `throughput`
 * ratios are B's time / A's time (requests/s of A over B), `time` ratios A's time / B's time.
 */
export const INPROCESS_TARGETS = [
  // One process's JIT decisions shift all its pairs at once: four runs of one commit gave Hono
  // apiKey vs its floor 0.915–0.945 with single-process intervals ±1.5%, and the core-only
  // targets differed by up to 3.5% between runs. So these run in several fresh processes, the
  // interval from a two-stage bootstrap over processes and their pairs (combineRuns).
  { key: 'hono_apikey_vs_floor_with_same_headers', kind: 'throughput', a: (m, f) => honoRequireAuth(m, f), b: (_m, f) => honoFloorHeaders(f), sameHeaders: true, processes: 3, budgetMs: 5000 },
  { key: 'hono_apikey_vs_floor_keeping_headers', kind: 'throughput', a: (m, f) => honoRequireAuth(m, f), b: (_m, f) => honoFloorKeepingHeaders(f), sameHeaders: true, processes: 3, budgetMs: 5000 },
  { key: 'hono_openapi_vs_requireauth', kind: 'throughput', a: (m, f) => honoEnforceOpenAPI(m, f), b: (m, f) => honoRequireAuth(m, f), processes: 3, budgetMs: 5000 },
  // An Express request in process costs 48–130 µs and varies most (a request, a response and a
  // stream each): these two targets get a longer budget before they are called undecided (30 s
  // for enforceOpenAPI vs requireAuth, two Express apps whose difference is the smallest).
  { key: 'express_vs_floor', kind: 'throughput', a: (m, f) => expressRequireAuth(m, f), b: (_m, f) => expressFloorHeaders(f), sameHeaders: true, budgetMs: 20_000 },
  { key: 'express_vs_passport', kind: 'throughput', a: (m, f) => expressRequireAuth(m, f), b: (_m, f) => expressPassport(f) },
  { key: 'express_openapi_vs_requireauth', kind: 'throughput', a: (m, f) => expressEnforceOpenAPI(m, f), b: (m, f) => expressRequireAuth(m, f), budgetMs: 30_000 },
  // Core-only cases decide within a few seconds each.
  { key: 'jwt_hs256_cold_vs_jose', kind: 'time', a: (m, f) => jwtCase(m, f, 'cold'), b: (_m, f) => joseCase(f), processes: 4 },
  { key: 'jwt_warm_vs_fastjwt_cached', kind: 'time', a: (m, f) => jwtCase(m, f, 'warm'), b: (_m, f) => fastJwtCachedCase(f), processes: 4 },
  { key: 'jwt_warm_claims_vs_fastjwt_cached', kind: 'time', a: (m, f) => jwtCase(m, f, 'claims'), b: (_m, f) => fastJwtCachedCase(f), processes: 4 },
  { key: 'apikey_stored_vs_static', kind: 'time', a: async (m) => (await apiKeyStoreCases(m)).stored, b: async (m) => (await apiKeyStoreCases(m)).static, processes: 4 },
]

/** The authspec cases `--compare` runs on two builds (each A = this checkout, B = the other build). */
export const BUILD_CASES = [
  { key: 'hono_requireauth', build: (m, f) => honoRequireAuth(m, f) },
  { key: 'hono_enforceopenapi', build: (m, f) => honoEnforceOpenAPI(m, f) },
  { key: 'express_requireauth', build: (m, f) => expressRequireAuth(m, f) },
  { key: 'express_enforceopenapi', build: (m, f) => expressEnforceOpenAPI(m, f) },
  { key: 'jwt_hs256_cold', build: (m, f) => jwtCase(m, f, 'cold') },
  { key: 'jwt_hs256_warm', build: (m, f) => jwtCase(m, f, 'warm') },
  { key: 'jwt_hs256_warm_claims', build: (m, f) => jwtCase(m, f, 'claims') },
  { key: 'apikey_static', build: async (m) => (await apiKeyStoreCases(m)).static },
  { key: 'apikey_stored', build: async (m) => (await apiKeyStoreCases(m)).stored },
]

export const DEFAULTS = { roundMs: 50, warmupPairs: 4, minPairs: 20, budgetMs: 7000 }

/**
 * Build both sides and prove both answer (200 with the key, 401 without, for the HTTP cases);
 * with `sameHeaders`, both must send the same Vary and Cache-Control on the 200.
 */
export async function prepare(name, a, b, sameHeaders = false) {
  const [ca, cb] = await Promise.all([a, b])
  const [ha, hb] = [await ca.check(), await cb.check()]
  if (sameHeaders && JSON.stringify(ha) !== JSON.stringify(hb)) {
    throw new Error(`${name}: ${ca.name} sends ${JSON.stringify(ha)}, ${cb.name} sends ${JSON.stringify(hb)}`)
  }
  return [ca, cb]
}

/** One target in this process: `{ ratio, ci, verdict, cpu_ratio, pairs, a_ns, b_ns, seconds }`. */
export async function measureTarget(key, { fixtures, mods, settings = {}, log = () => {} }) {
  const target = INPROCESS_TARGETS.find((t) => t.key === key)
  if (target === undefined) throw new Error(`unknown in-process target ${key}`)
  const { op, bound } = TARGETS.find((t) => t.key === key)
  const [a, b] = await prepare(key, target.a(mods, fixtures), target.b(mods, fixtures), target.sameHeaders)
  log(`inprocess ${key}: ${a.name} vs ${b.name} (${op} ${bound})`)
  // A budget given by the caller (`--budget`, the full run's setting, tests) wins over the target's own.
  const budgetMs = settings.budgetMs ?? target.budgetMs ?? DEFAULTS.budgetMs
  const s = await interleave(a, b, { ...DEFAULTS, ...settings, budgetMs, kind: target.kind, log, done: (x) => verdict(x.ci, op, bound) !== 'undecided' })
  return { ratio: s.ratio, ci: s.ci, verdict: verdict(s.ci, op, bound), cpu_ratio: s.cpu_ratio, cpu_ci: s.cpu_ci, pairs: s.pairs, round_ms: s.round_ms, a_ns: s.a_ns, b_ns: s.b_ns, seconds: s.seconds, wall: s.wall, cpu: s.cpu }
}

/**
 * One target's figure over `runs` (one per process): the median of every pair ratio, the
 * two-stage bootstrap interval over processes and pairs, and each process's own ratio.
 */
export function combineRuns(key, runs) {
  const { op, bound } = TARGETS.find((t) => t.key === key)
  const wall = pooledFigure(runs.map((r) => r.wall))
  const cpu = runs.every((r) => r.cpu.length > 0) ? pooledFigure(runs.map((r) => r.cpu)) : { ratio: null, ci: null }
  return {
    ratio: wall.ratio,
    ci: wall.ci,
    verdict: verdict(wall.ci, op, bound),
    cpu_ratio: cpu.ratio,
    cpu_ci: cpu.ci,
    pairs: runs.reduce((n, r) => n + r.pairs, 0),
    processes: runs.length,
    process_ratios: runs.map((r) => r.ratio),
    a_ns: Math.round(median(runs.map((r) => r.a_ns))),
    b_ns: Math.round(median(runs.map((r) => r.b_ns))),
    seconds: Math.round(runs.reduce((n, r) => n + r.seconds, 0) * 10) / 10,
  }
}

/**
 * One build case on this checkout (A) and the checkout at `otherDir` (B), in this process; ratio
 * = time on A / time on B. It stops once `faster` or `slower` over its whole interval, or once
 * the interval lies within 1 ± 2% (`same`), else at the budget (then `same`: not shown to differ).
 */
export async function measureBuildCase(key, { fixtures, otherDir, settings = {}, log = () => {} }) {
  const c = BUILD_CASES.find((x) => x.key === key)
  if (c === undefined) throw new Error(`unknown build case ${key}`)
  let pair
  try {
    pair = await prepare(key, c.build(await currentModules(), fixtures), c.build(await modulesAt(otherDir), fixtures), true)
  } catch (error) {
    return { skipped: error instanceof Error ? error.message : String(error) }
  }
  log(`compare ${key}`)
  const decided = (x) => {
    const v = compareVerdict(x.ci)
    return v.verdict !== 'same' || v.equivalent
  }
  const s = await interleave(pair[0], pair[1], { ...DEFAULTS, ...settings, kind: 'time', log, done: decided })
  return { ratio: s.ratio, ci: s.ci, verdict: compareVerdict(s.ci).verdict, cpu_ratio: s.cpu_ratio, cpu_ci: s.cpu_ci, pairs: s.pairs, round_ms: s.round_ms, current_ns: s.a_ns, other_ns: s.b_ns, seconds: s.seconds }
}

/**
 * Run one measurement in a fresh node process (`--child kind:key`), so that what earlier
 * targets taught V8 (inline caches, optimised code) does not carry over into the next one.
 */
function inChild(spec, fixturesFile, settings, extra, verbose) {
  const args = [fileURLToPath(import.meta.url), '--child', spec, '--settings', JSON.stringify(settings), ...extra, ...(verbose ? ['--verbose'] : [])]
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, AUTHSPEC_BENCH_FIXTURES: fixturesFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', verbose ? 'inherit' : 'pipe'],
    maxBuffer: 1 << 20,
  })
  if (run.status !== 0) throw new Error(`in-process ${spec} failed: ${run.stderr ?? run.status}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

/**
 * Every in-process target, each in its own child process (the core-only ones in three, see
 * `processes`): `{ key: { ratio, ci, verdict, cpu_ratio, pairs, a_ns, b_ns, seconds } }`. A target stops as soon as its verdict is `met`
 * or `missed` (after `minPairs` pairs), else at `budgetMs`.
 */
export async function runInProcess({ fixtures, only, settings = {}, verbose = false } = {}) {
  fixtures ??= await createFixtures()
  const file = saveFixtures(fixtures)
  const out = {}
  for (const { key, processes = 1 } of INPROCESS_TARGETS) {
    if (only !== undefined && !only.includes(key)) continue
    const runs = Array.from({ length: processes }, () => inChild(`target:${key}`, file, settings, [], verbose))
    if (processes > 1) out[key] = combineRuns(key, runs)
    else {
      const { wall: _wall, cpu: _cpu, ...figure } = runs[0]
      out[key] = figure
    }
  }
  return out
}

/** Every build case, each in its own child process, on this checkout and the one at `otherDir`. */
export async function compareBuilds({ fixtures, otherDir, only, settings = {}, verbose = false }) {
  fixtures ??= await createFixtures()
  const file = saveFixtures(fixtures)
  const out = {}
  for (const { key } of BUILD_CASES) if (only === undefined || only.includes(key)) out[key] = inChild(`case:${key}`, file, settings, ['--other', otherDir], verbose)
  return out
}

const argValue = (name) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? undefined : process.argv[at + 1]
}

if (isMain(import.meta.url)) {
  const verbose = process.argv.includes('--verbose')
  const log = verbose ? (line) => console.error(line) : () => {}
  const settings = JSON.parse(argValue('settings') ?? '{}')
  const child = argValue('child')
  if (child !== undefined) {
    const [kind, key] = child.split(':')
    const fixtures = await loadFixtures()
    const result = kind === 'target' ? await measureTarget(key, { fixtures, mods: await currentModules(), settings, log }) : await measureBuildCase(key, { fixtures, otherDir: argValue('other'), settings, log })
    console.log(JSON.stringify(result))
  } else {
    if (argValue('budget') !== undefined) settings.budgetMs = Number(argValue('budget'))
    console.log(JSON.stringify(await runInProcess({ only: argValue('only')?.split(','), settings, verbose })))
  }
}
