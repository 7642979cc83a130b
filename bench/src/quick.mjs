// `npm run bench:quick`: the targets only, in about three minutes; prints ONE JSON line (progress goes
// to stderr with --verbose). The ratio targets are measured in process (inprocess.mjs): A/B in
// interleaved short rounds, the median pair ratio with a bootstrap 95% interval and a verdict
// (`met`, `missed`, `undecided`). The socket-level (autocannon) figures are in `npm run bench`.
// `--compare <git-ref>`: the same in-process cases on this checkout (A) and on <ref> (B),
// built in a temporary git worktree (compare.mjs); prints one JSON line per case and a summary.
import { createFixtures } from './fixtures.mjs'
import { runInProcess } from './inprocess.mjs'
import { targetVerdicts } from './report.mjs'
import { runResourceServer } from './resource-server.mjs'
import { spawnApiKeys } from './api-keys.mjs'

const started = Date.now()
const log = process.argv.includes('--verbose') ? (line) => console.error(line) : () => {}
const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const compareAt = process.argv.indexOf('--compare')

if (compareAt !== -1) {
  const ref = process.argv[compareAt + 1]
  if (ref === undefined || ref.startsWith('--')) throw new Error('usage: node bench/src/quick.mjs --compare <git-ref> [--only case,case] [--keep] [--verbose]')
  const { runCompare } = await import('./compare.mjs')
  const onlyAt = process.argv.indexOf('--only')
  const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1]?.split(',')
  const result = await runCompare(ref, { keep: process.argv.includes('--keep'), log, verbose: process.argv.includes('--verbose'), only })
  console.log(JSON.stringify({ ...result, seconds: Math.round((Date.now() - started) / 100) / 10 }))
} else {
  const fixtures = await createFixtures()
  log(`quick: in-process targets at ${at()}`)
  const inprocess = await runInProcess({ fixtures, verbose: process.argv.includes('--verbose') })
  log(`quick: resource server at ${at()}`)
  const resourceServer = await runResourceServer({ cpuMs: 60, rounds: 3 })
  log(`quick: api keys at ${at()}`)
  // Store size, bad-key heap and Redis (smaller than the full run's 1,000,000). Its own
  // stored-vs-static figure (sequential rounds, no interval) is kept as `*_sequential`.
  const { apikey_stored_vs_static: sequentialStored, ...apiKeys } = spawnApiKeys(['--keys', '200000', '--bad', '200000', '--redis', '2000'])
  const checked = targetVerdicts(inprocess, { ...resourceServer, ...apiKeys })
  const figure = (key) => inprocess[key]?.ratio ?? null
  const line = {
    // The target figures, as before (numbers), now the in-process median pair ratios.
    jwt_hs256_cold_vs_jose: figure('jwt_hs256_cold_vs_jose'),
    jwt_warm_vs_fastjwt_cached: figure('jwt_warm_vs_fastjwt_cached'),
    jwt_warm_claims_vs_fastjwt_cached: figure('jwt_warm_claims_vs_fastjwt_cached'),
    express_vs_floor: figure('express_vs_floor'),
    express_vs_passport: figure('express_vs_passport'),
    hono_apikey_vs_floor_with_same_headers: figure('hono_apikey_vs_floor_with_same_headers'),
    hono_apikey_vs_floor_keeping_headers: figure('hono_apikey_vs_floor_keeping_headers'),
    hono_openapi_vs_requireauth: figure('hono_openapi_vs_requireauth'),
    express_openapi_vs_requireauth: figure('express_openapi_vs_requireauth'),
    apikey_stored_vs_static: figure('apikey_stored_vs_static'),
    // true only when every target is `met`; the others are listed by verdict.
    targets_met: checked.every((t) => t.verdict === 'met'),
    targets_missed: checked.filter((t) => t.verdict === 'missed').map((t) => t.key),
    targets_undecided: checked.filter((t) => t.verdict !== 'met' && t.verdict !== 'missed').map((t) => t.key),
    // Every target: { ratio, ci: [lo, hi] (null for single figures), verdict, cpu_ratio, cpu_ci, op, bound, pairs, round_ms, seconds }.
    targets: Object.fromEntries(
      checked.map((t) => [t.key, { ratio: t.ratio, ci: t.ci, verdict: t.verdict, cpu_ratio: t.cpu_ratio, cpu_ci: t.cpu_ci ?? null, op: t.op, bound: t.bound, ...(t.pairs === undefined ? {} : { pairs: t.pairs, round_ms: t.round_ms, seconds: t.seconds }), ...(t.processes === undefined ? {} : { processes: t.processes, process_ratios: t.process_ratios }) }]),
    ),
    // Time per operation (median of rounds) of both sides of the JWT targets.
    jwt_hs256_cold_ns: inprocess.jwt_hs256_cold_vs_jose?.a_ns ?? null,
    jose_hs256_ns: inprocess.jwt_hs256_cold_vs_jose?.b_ns ?? null,
    jwt_hs256_warm_ns: inprocess.jwt_warm_vs_fastjwt_cached?.a_ns ?? null,
    jwt_hs256_warm_claims_ns: inprocess.jwt_warm_claims_vs_fastjwt_cached?.a_ns ?? null,
    fastjwt_cached_ns: inprocess.jwt_warm_vs_fastjwt_cached?.b_ns ?? null,
    // Time per in-process request (ns) of the framework cases.
    hono_floor_headers_ns: inprocess.hono_apikey_vs_floor_with_same_headers?.b_ns ?? null,
    hono_apikey_ns: inprocess.hono_apikey_vs_floor_with_same_headers?.a_ns ?? null,
    express_floor_headers_ns: inprocess.express_vs_floor?.b_ns ?? null,
    express_apikey_ns: inprocess.express_vs_floor?.a_ns ?? null,
    express_passport_ns: inprocess.express_vs_passport?.b_ns ?? null,
    // Issue 14: DPoP proof cost on top of a bearer JWT; introspection cache hit and calls per miss.
    ...resourceServer,
    ...apiKeys,
    apikey_stored_vs_static_sequential: sequentialStored,
    method: 'in-process, interleaved A/B rounds, median pair ratio, bootstrap 95% interval',
    seconds: Math.round((Date.now() - started) / 100) / 10,
  }
  console.log(JSON.stringify(line))
}
