// `node bench/src/target-gaps.mjs [hono|express]`: where the distance between an authspec guard
// and what its target compares it with goes, one change at a time. Each step is an interleaved A/B
// (the method of inprocess.mjs) in three fresh processes, with the two-stage interval. Prints one
// JSON line: for each step, the median pair ratio (A's requests/s over B's), its 95% interval
// and each process's own figure.
//   hono:    requireAuth vs the `===` floor (`hono_apikey_vs_floor_with_same_headers`); the steps
//            multiply to about that target.
//   express: enforceOpenAPI vs requireAuth (`express_openapi_vs_requireauth`): the app-level
//            layer it needs, and what it adds beyond that layer.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as core from '@authspec/core'
import { API_KEY_HEADER } from './fixtures.mjs'
import { apiKeyAuth, currentModules, expressEnforceOpenAPI, expressRequireAuth, honoFloorHeaders, honoFloorKeepingHeaders, honoRequireAuth } from './inprocess-cases.mjs'
import { prepare } from './inprocess.mjs'
import { interleave, pooledFigure } from './interleave.mjs'
import { isMain } from './stats.mjs'

const fixtures = { apiKey: `k_${'a1B2c3D4e5'.repeat(4)}` }
const { auth, prepared } = apiKeyAuth(core, fixtures)

const CASES = {
  blind: () => honoFloorHeaders(fixtures),
  keeping: () => honoFloorKeepingHeaders(fixtures),
  constantTime: () => honoFloorKeepingHeaders(fixtures, { name: 'floor, constant-time compare', accepts: (c) => core.timingSafeEqual(c.req.header(API_KEY_HEADER), fixtures.apiKey) }),
  core: () => honoFloorKeepingHeaders(fixtures, { name: 'floor, the core answers', accepts: (c) => auth.authenticateNow(c.req.raw, prepared).ok }),
  requireAuth: async () => honoRequireAuth(await currentModules(), fixtures),
  expressRequireAuth: async () => expressRequireAuth(await currentModules(), fixtures),
  expressLayered: async () => expressRequireAuth(await currentModules(), fixtures, { appLayer: true }),
  expressEnforce: async () => expressEnforceOpenAPI(await currentModules(), fixtures),
}

export const STEPS = [
  { group: 'hono', key: 'reads_of_the_contract', a: 'keeping', b: 'blind', what: "reading the handler's Vary and Cache-Control before writing (the floor that keeps them vs the one that overwrites them)" },
  { group: 'hono', key: 'constant_time_compare', a: 'constantTime', b: 'keeping', what: 'timingSafeEqual in place of ===' },
  { group: 'hono', key: 'core_answer', a: 'core', b: 'keeping', what: 'auth.authenticateNow (extract, constant-time compare, result) in place of ===' },
  { group: 'hono', key: 'adapter_rest', a: 'requireAuth', b: 'core', what: 'the rest of requireAuth: c.var.auth, the client address, Vary de-duplication, immutable responses' },
  { group: 'express', key: 'express_app_layer', a: 'expressLayered', b: 'expressRequireAuth', what: 'a no-op app.use in front of requireAuth, against requireAuth alone', budgetMs: 10_000 },
  { group: 'express', key: 'express_enforce_beyond_layer', a: 'expressEnforce', b: 'expressLayered', what: 'enforceOpenAPI, against requireAuth behind the same no-op layer', budgetMs: 10_000 },
]

async function measure(step) {
  const [a, b] = await prepare(step.key, CASES[step.a](), CASES[step.b](), true)
  const s = await interleave(a, b, { kind: 'throughput', roundMs: 50, warmupPairs: 4, minPairs: 20, budgetMs: step.budgetMs ?? 4000 })
  return { ratio: s.ratio, wall: s.wall }
}

if (isMain(import.meta.url)) {
  const childAt = process.argv.indexOf('--child')
  if (childAt !== -1) {
    console.log(JSON.stringify(await measure(STEPS.find((s) => s.key === process.argv[childAt + 1]))))
  } else {
    const group = process.argv[2]
    const out = {}
    for (const step of STEPS.filter((s) => group === undefined || s.group === group)) {
      const runs = [0, 1, 2].map(() => {
        const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', step.key], { encoding: 'utf8', maxBuffer: 1 << 20 })
        if (run.status !== 0) throw new Error(`${step.key}: ${run.stderr}`)
        return JSON.parse(run.stdout.trim().split('\n').pop())
      })
      out[step.key] = { ...pooledFigure(runs.map((r) => r.wall)), process_ratios: runs.map((r) => r.ratio), what: step.what }
    }
    console.log(JSON.stringify(out))
  }
}
