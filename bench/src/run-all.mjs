// `npm run bench`: micro, HTTP and memory benchmarks; prints markdown and writes results.json.
// Settings (env): BENCH_ROUNDS (3), BENCH_DURATION seconds per HTTP run (5), BENCH_WARMUP (2),
// BENCH_CONNECTIONS (32), BENCH_MICRO_MS CPU time per micro measurement (400),
// BENCH_INVALID (1000000) and BENCH_VALID (100000) tokens for the memory run,
// BENCH_INPROCESS_BUDGET ms per in-process target (8000).
// The targets are judged from the in-process interleaved measure (inprocess.mjs, with 95%
// intervals); the micro and socket-level (autocannon) figures follow as the second table.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hasJwt } from './authspec-auths.mjs'
import { createFixtures, saveFixtures } from './fixtures.mjs'
import { httpRatios, httpTable, runHttp, runnable } from './http.mjs'
import { microRatios, microTable, runMicro } from './micro.mjs'
import { runInProcess } from './inprocess.mjs'
import { checkTargets, machine, machineLine, targetsTable, targetVerdicts, verdictTable } from './report.mjs'
import { markdownTable } from './stats.mjs'
import { VARIANTS } from './variants.mjs'
import { spawnApiKeys } from './api-keys.mjs'
import { runResourceServer } from './resource-server.mjs'

const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === '' ? fallback : Number(process.env[name]))
const settings = {
  rounds: env('BENCH_ROUNDS', 3),
  duration: env('BENCH_DURATION', 5),
  warmup: env('BENCH_WARMUP', 2),
  connections: env('BENCH_CONNECTIONS', 32),
  microMs: env('BENCH_MICRO_MS', 400),
  invalid: env('BENCH_INVALID', 1_000_000),
  valid: env('BENCH_VALID', 100_000),
  inprocessBudgetMs: env('BENCH_INPROCESS_BUDGET', 8000),
}
const log = (line) => console.error(line)
const started = Date.now()
const host = machine()
const fixtures = await createFixtures()
const fixturesFile = saveFixtures(fixtures)

log(`in-process targets: interleaved A/B rounds, up to ${settings.inprocessBudgetMs} ms each`)
const inprocess = await runInProcess({ fixtures, settings: { budgetMs: settings.inprocessBudgetMs }, verbose: true })

log(`micro: ${settings.rounds} interleaved rounds, ${settings.microMs} ms CPU each`)
const micro = await runMicro({ fixtures, rounds: settings.rounds, cpuMs: settings.microMs, log })

const names = runnable(Object.keys(VARIANTS))
const skipped = Object.keys(VARIANTS).filter((name) => !names.includes(name))
log(`http: ${names.length} servers, ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections`)
const http = await runHttp({ fixtures, fixturesFile, names, rounds: settings.rounds, duration: settings.duration, warmup: settings.warmup, connections: settings.connections, log })

log(`memory: ${settings.invalid} invalid and ${settings.valid} valid JWTs through one auth`)
let memory
if (hasJwt) {
  const script = fileURLToPath(new URL('./memory.mjs', import.meta.url))
  const run = spawnSync(process.execPath, ['--expose-gc', script, '--invalid', String(settings.invalid), '--valid', String(settings.valid)], {
    env: { ...process.env, AUTHSPEC_BENCH_FIXTURES: fixturesFile },
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`memory benchmark failed: ${run.stderr}`)
  memory = JSON.parse(run.stdout.trim().split('\n').pop())
} else {
  memory = { skipped: 'this build of @authspec/core has no jwtBearer' }
}

log('api keys: 1,000,000 keys in the store, 1,000,000 distinct bad keys, Redis on loopback')
const apiKeys = spawnApiKeys(['--keys', '1000000', '--bad', '1000000', '--redis', '5000'])

log('resource server: DPoP proof cost, introspection cache hit and miss')
const resourceServer = await runResourceServer({ cpuMs: settings.microMs, rounds: settings.rounds })

const ratios = { ...microRatios(micro), ...httpRatios(http) }
const targets = targetVerdicts(inprocess, { ...resourceServer, ...apiKeys })
const socketTargets = checkTargets({ ...ratios, ...resourceServer, ...apiKeys })
const results = { inprocess, socketTargets, apiKeys, resourceServer, date: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), machine: host, settings, ratios, targets, micro, http, skipped, memory }
writeFileSync(new URL('../results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)

const memoryLines = memory.skipped
  ? [`Memory: skipped (${memory.skipped}).`]
  : [
      `Memory (JWT HS256, verified-token cache on, one auth; RSS after gc, base ${memory.rss_base_mb} MB):`,
      '',
      `- ${memory.invalid_tokens.toLocaleString('en-US')} distinct invalid tokens: RSS +${memory.rss_growth_after_invalid_mb} MB (heap +${memory.heap_growth_after_invalid_mb} MB)`,
      `- then ${memory.valid_tokens.toLocaleString('en-US')} distinct valid tokens: RSS +${memory.rss_growth_after_valid_mb} MB in total (heap +${memory.heap_growth_after_valid_mb} MB)`,
      `- ${memory.seconds} s`,
    ]
console.log(
  [
    `## Benchmark results (${results.date})`,
    '',
    `Machine: ${machineLine(host)}.`,
    `Settings: micro ${settings.rounds} rounds × ≥${settings.microMs} ms; HTTP ${settings.rounds} rounds × ${settings.duration} s, ${settings.connections} connections, ${settings.warmup} s warm-up.`,
    '',
    '### Targets (in process, interleaved A/B, median pair ratio with a bootstrap 95% interval)',
    '',
    verdictTable(targets),
    '',
    '### The same targets from the mitata, socket-level (autocannon) and api-keys.mjs runs below (single figures, median over rounds; before issue 21 these were the verdicts)',
    '',
    targetsTable(socketTargets),
    '',
    '### All ratios (paired, median over rounds)',
    '',
    'Throughput ratios (`*_vs_*` of servers): above 1 means authspec serves more; `*_cpu_*`: the same from server CPU per request. Time ratios (`jwt_*`): below 1 means authspec is faster.',
    '',
    markdownTable(['ratio', 'value'], Object.entries(ratios).map(([key, value]) => [`\`${key}\``, String(value)])),
    '',
    '### Micro (time per authentication, median of rounds)',
    '',
    microTable(micro),
    '',
    '### HTTP (autocannon, 127.0.0.1)',
    '',
    httpTable(http),
    ...(skipped.length > 0 ? ['', `Not run in this checkout: ${skipped.join(', ')}.`] : []),
    '',
    '### Memory',
    '',
    ...memoryLines,
    '',
    '### Resource server (DPoP, introspection)',
    '',
    markdownTable(['figure', 'value'], Object.entries(resourceServer).map(([key, value]) => [`\`${key}\``, JSON.stringify(value)])),
    '',
    '### API keys with stores',
    '',
    markdownTable(['figure', 'value'], Object.entries(apiKeys).map(([key, value]) => [`\`${key}\``, JSON.stringify(value)])),
    '',
    `Wrote bench/results.json (${results.seconds} s).`,
  ].join('\n'),
)
