// In-process measure of what authspec adds (issue 21): each target's two sides run in one
// process, without sockets, in interleaved A/B rounds (interleave.mjs); a target's figure is the
// median pair ratio with a bootstrap 95% interval, and its verdict says whether the interval
// lies on the right side of the bound (`met`), the wrong side (`missed`) or across it.
// `node src/inprocess.mjs [--budget ms] [--only key,key] [--verbose]` prints one JSON line.
import { createFixtures } from './fixtures.mjs'
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
  honoRequireAuth,
  joseCase,
  jwtCase,
} from './inprocess-cases.mjs'
import { compareVerdict, interleave, verdict } from './interleave.mjs'
import { TARGETS } from './report.mjs'
import { isMain } from './stats.mjs'

/**
 * The targets measured in process. `a` is authspec, `b` what it is compared with; `throughput`
 * ratios are B's time / A's time (requests/s of A over B), `time` ratios A's time / B's time.
 */
export const INPROCESS_TARGETS = [
  { key: 'hono_apikey_vs_floor_with_same_headers', kind: 'throughput', a: (m, f) => honoRequireAuth(m, f), b: (_m, f) => honoFloorHeaders(f), sameHeaders: true },
  { key: 'hono_openapi_vs_requireauth', kind: 'throughput', a: (m, f) => honoEnforceOpenAPI(m, f), b: (m, f) => honoRequireAuth(m, f) },
  { key: 'express_vs_floor', kind: 'throughput', a: (m, f) => expressRequireAuth(m, f), b: (_m, f) => expressFloorHeaders(f), sameHeaders: true },
  { key: 'express_vs_passport', kind: 'throughput', a: (m, f) => expressRequireAuth(m, f), b: (_m, f) => expressPassport(f) },
  { key: 'express_openapi_vs_requireauth', kind: 'throughput', a: (m, f) => expressEnforceOpenAPI(m, f), b: (m, f) => expressRequireAuth(m, f) },
  { key: 'jwt_hs256_cold_vs_jose', kind: 'time', a: (m, f) => jwtCase(m, f, 'cold'), b: (_m, f) => joseCase(f) },
  { key: 'jwt_warm_vs_fastjwt_cached', kind: 'time', a: (m, f) => jwtCase(m, f, 'warm'), b: (_m, f) => fastJwtCachedCase(f) },
  { key: 'jwt_warm_claims_vs_fastjwt_cached', kind: 'time', a: (m, f) => jwtCase(m, f, 'claims'), b: (_m, f) => fastJwtCachedCase(f) },
  { key: 'apikey_stored_vs_static', kind: 'time', a: async (m) => (await apiKeyStoreCases(m)).stored, b: async (m) => (await apiKeyStoreCases(m)).static },
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

export const DEFAULTS = { roundMs: 100, warmupPairs: 2, minPairs: 10, budgetMs: 7000 }

/**
 * Build both sides and prove both answer (200 with the key, 401 without, for the HTTP cases);
 * with `sameHeaders`, both must send the same Vary and Cache-Control on the 200.
 */
async function prepare(name, a, b, sameHeaders = false) {
  const [ca, cb] = await Promise.all([a, b])
  const [ha, hb] = [await ca.check(), await cb.check()]
  if (sameHeaders && JSON.stringify(ha) !== JSON.stringify(hb)) {
    throw new Error(`${name}: ${ca.name} sends ${JSON.stringify(ha)}, ${cb.name} sends ${JSON.stringify(hb)}`)
  }
  return [ca, cb]
}

/**
 * Every in-process target on `mods` (this checkout's modules by default): `{ key: { ratio, ci,
 * verdict, cpu_ratio, pairs, a_ns, b_ns, seconds } }`. A target stops as soon as its verdict is
 * `met` or `missed` (after `minPairs`), else at `budgetMs`.
 */
export async function runInProcess({ fixtures, mods, only, settings = {}, log = () => {} } = {}) {
  fixtures ??= await createFixtures()
  mods ??= await currentModules()
  const options = { ...DEFAULTS, ...settings }
  const out = {}
  for (const target of INPROCESS_TARGETS) {
    if (only !== undefined && !only.includes(target.key)) continue
    const { op, bound } = TARGETS.find((t) => t.key === target.key)
    const [a, b] = await prepare(target.key, target.a(mods, fixtures), target.b(mods, fixtures), target.sameHeaders)
    log(`inprocess ${target.key}: ${a.name} vs ${b.name} (${op} ${bound})`)
    const summary = await interleave(a, b, { ...options, kind: target.kind, log, done: (s) => verdict(s.ci, op, bound) !== 'undecided' })
    out[target.key] = { ratio: summary.ratio, ci: summary.ci, verdict: verdict(summary.ci, op, bound), cpu_ratio: summary.cpu_ratio, pairs: summary.pairs, a_ns: summary.a_ns, b_ns: summary.b_ns, seconds: summary.seconds }
  }
  return out
}

/**
 * The same cases on two builds, interleaved in this one process: `{ key: { ratio, ci, verdict,
 * cpu_ratio, … } }` with ratio = time on `current` / time on `other` (below 1: current faster).
 * A case stops once it is `faster` or `slower` over its whole interval, or the interval lies
 * within 1 ± 2% (`same`), else at `budgetMs` (then `same`: not shown to differ).
 */
export async function compareBuilds({ fixtures, current, other, only, settings = {}, log = () => {} }) {
  fixtures ??= await createFixtures()
  const options = { ...DEFAULTS, ...settings }
  const out = {}
  for (const c of BUILD_CASES) {
    if (only !== undefined && !only.includes(c.key)) continue
    let pair
    try {
      pair = await prepare(c.key, c.build(current, fixtures), c.build(other, fixtures), true)
    } catch (error) {
      out[c.key] = { skipped: error instanceof Error ? error.message : String(error) }
      log(`compare ${c.key}: skipped (${out[c.key].skipped})`)
      continue
    }
    log(`compare ${c.key}`)
    const decided = (s) => {
      const v = compareVerdict(s.ci)
      return v.verdict !== 'same' || v.equivalent
    }
    const summary = await interleave(pair[0], pair[1], { ...options, kind: 'time', log, done: decided })
    out[c.key] = { ratio: summary.ratio, ci: summary.ci, verdict: compareVerdict(summary.ci).verdict, cpu_ratio: summary.cpu_ratio, pairs: summary.pairs, current_ns: summary.a_ns, other_ns: summary.b_ns, seconds: summary.seconds }
  }
  return out
}

const argValue = (name) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? undefined : process.argv[at + 1]
}

if (isMain(import.meta.url)) {
  const log = process.argv.includes('--verbose') ? (line) => console.error(line) : () => {}
  const budget = argValue('budget')
  const only = argValue('only')?.split(',')
  const results = await runInProcess({ only, log, settings: budget === undefined ? {} : { budgetMs: Number(budget) } })
  console.log(JSON.stringify(results))
}
