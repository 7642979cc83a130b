// Targets, machine details and the markdown report shared by `bench` and `bench:quick`.
import { spawnSync } from 'node:child_process'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { BUN } from './http.mjs'
import { markdownTable } from './stats.mjs'

/**
 * The targets of docs/design.md (Performance) and of the issues that set one, as figures measured in
 * one run (`key` in the merged figures of the micro, HTTP, resource-server and API-key parts).
 */
export const TARGETS = [
  { key: 'hono_apikey_vs_floor_with_same_headers', label: 'authspec apiKey on Hono vs hand-written === floor sending the same Vary / Cache-Control (req/s)', op: '>=', bound: 0.95 },
  // The same, against a floor that honours the same contract as authspec (docs/design.md: Cache-Control
  // "unless the handler set its own", Vary merged with the handler's): it reads both headers
  // before writing, as authspec does. Measured in process only (no socket variant).
  { key: 'hono_apikey_vs_floor_keeping_headers', label: 'authspec apiKey on Hono vs a hand-written === floor that keeps the handler\'s Vary / Cache-Control, as authspec does (req/s)', op: '>=', bound: 0.95, inProcessOnly: true },
  { key: 'express_vs_floor', label: 'authspec apiKey on Express vs hand-written floor sending the same Vary / Cache-Control (req/s)', op: '>=', bound: 0.9 },
  { key: 'express_vs_passport', label: 'authspec apiKey on Express vs passport-headerapikey (req/s)', op: '>=', bound: 1.0 },
  { key: 'jwt_hs256_cold_vs_jose', label: 'JWT HS256 cold vs jose.jwtVerify, pre-imported key (time)', op: '<=', bound: 1.15 },
  { key: 'jwt_warm_vs_fastjwt_cached', label: 'JWT HS256 warm vs fast-jwt cached (time)', op: '<=', bound: 1.0 },
  { key: 'jwt_warm_claims_vs_fastjwt_cached', label: 'JWT HS256 warm with a claims callback vs fast-jwt cached (time)', op: '<=', bound: 1.0 },
  { key: 'hono_openapi_vs_requireauth', label: 'Hono enforceOpenAPI vs requireAuth with the same requirement (req/s)', op: '>=', bound: 0.95 },
  { key: 'express_openapi_vs_requireauth', label: 'Express enforceOpenAPI vs requireAuth with the same requirement (req/s)', op: '>=', bound: 0.95 },
  { key: 'apikey_stored_vs_static', label: 'stored (hashed) API key, memory store, vs a static key (time)', op: '<=', bound: 2.0 },
  { key: 'redis_round_trips_per_request', label: 'Redis key store: round trips per request (lookup, limit and throttle)', op: '<=', bound: 1 },
  { key: 'introspection_hit_ns', label: 'introspection cache hit (ns per request)', op: '<=', bound: 2000 },
]

/** Each target with its measured ratio and whether it holds (`null` when not measured). */
export function checkTargets(ratios) {
  return TARGETS.filter((target) => target.inProcessOnly !== true).map((target) => {
    const value = ratios[target.key]
    const met = typeof value !== 'number' ? null : target.op === '>=' ? value >= target.bound : value <= target.bound
    return { ...target, ratio: value ?? null, met }
  })
}

export function targetsTable(checked) {
  return markdownTable(
    ['target', 'figure', 'bound', 'met'],
    checked.map((t) => [t.label, t.ratio === null ? 'not measured' : t.key.includes('_vs_') ? `${t.ratio}×` : String(t.ratio), `${t.op} ${t.bound}`, t.met === null ? '—' : t.met ? 'yes' : 'NO']),
  )
}

function bunVersion() {
  const run = spawnSync(BUN, ['--version'], { encoding: 'utf8' })
  return run.status === 0 ? run.stdout.trim() : null
}

/** What the numbers were measured on. */
export function machine() {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    bun: bunVersion(),
    loadavg_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
  }
}

export function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.os}, node ${m.node}${m.bun ? `, bun ${m.bun}` : ''}; load average at start ${m.loadavg_at_start.join(' / ')}`
}

/**
 * Each target's verdict: from the interval of its in-process ratio when it has one (`intervals`,
 * keyed like TARGETS, each `{ ratio, ci, verdict, cpu_ratio }`), else from the single figure in
 * `figures` (counts and absolute times: `met` or `missed`; `not measured` without a figure).
 */
export function targetVerdicts(intervals, figures) {
  return TARGETS.map((target) => {
    const measured = intervals[target.key]
    if (measured !== undefined) return { ...target, ...measured }
    const value = figures[target.key]
    if (typeof value !== 'number') return { ...target, ratio: null, ci: null, verdict: 'not measured', cpu_ratio: null }
    const met = target.op === '>=' ? value >= target.bound : value <= target.bound
    return { ...target, ratio: value, ci: null, verdict: met ? 'met' : 'missed', cpu_ratio: null }
  })
}

/** Markdown table of target verdicts (the interval, when there is one). */
export function verdictTable(checked) {
  return markdownTable(
    ['target', 'figure', '95% interval', 'CPU', 'bound', 'verdict'],
    checked.map((t) => [
      t.label,
      t.ratio === null ? 'not measured' : t.key.includes('_vs_') ? `${t.ratio}×` : String(t.ratio),
      t.ci === null ? '—' : `${t.ci[0]}–${t.ci[1]}`,
      t.cpu_ratio === null ? '—' : `${t.cpu_ratio}×`,
      `${t.op} ${t.bound}`,
      t.verdict,
    ]),
  )
}
