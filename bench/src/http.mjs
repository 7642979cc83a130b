// HTTP benchmarks: every server runs in its own child process; autocannon (in this process)
// loads it over 127.0.0.1 with a fixed duration and number of connections. Servers of one
// group run side by side and are loaded in interleaved rounds (the order rotating each round);
// a server's figure is the median of its rounds.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { hasJwt } from './authspec-auths.mjs'
import { NEEDS_JWT, VARIANTS, credentialHeaders } from './variants.mjs'
import { markdownTable, median, pairedRatio } from './stats.mjs'

const NODE_SERVER = fileURLToPath(new URL('./server-node.mjs', import.meta.url))
const BUN_SERVER = fileURLToPath(new URL('./server-bun.mjs', import.meta.url))
export const BUN = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url))

const children = new Set()
let hooked = false
function killAllOnExit() {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => process.exit(130))
  }
}

/** Start one variant's server; resolves once it printed its port. */
export function startServer(name, fixturesFile, { timeoutMs = 20_000 } = {}) {
  const variant = VARIANTS[name]
  if (variant === undefined) throw new Error(`unknown variant ${name}`)
  killAllOnExit()
  const [command, script] = variant.runtime === 'bun' ? [BUN, BUN_SERVER] : [process.execPath, NODE_SERVER]
  const child = spawn(command, [script, name], {
    env: { ...process.env, AUTHSPEC_BENCH_FIXTURES: fixturesFile, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        children.delete(child)
        resolve()
        return
      }
      child.once('exit', () => {
        children.delete(child)
        resolve()
      })
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`server ${name} did not start within ${timeoutMs} ms: ${err}`))
    }, timeoutMs)
    child.stderr.on('data', (chunk) => {
      err += chunk
    })
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /^PORT (\d+) (\S+)$/m.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolve({ name, ...variant, port: Number(match[1]), adapter: match[2], child, stop })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      children.delete(child)
      reject(new Error(`server ${name} exited with ${code}: ${err}`))
    })
  })
}

/** One request: its status. */
async function statusOf(port, headers) {
  const response = await fetch(`http://127.0.0.1:${port}/pets`, { headers })
  await response.arrayBuffer()
  return response.status
}

/** A server answers 200 with its credential and 401 without (or 200 when it has no auth). */
export async function checkServer(server, fixtures) {
  const headers = credentialHeaders(server.credential, fixtures)
  const withCredential = await statusOf(server.port, headers)
  const withoutCredential = await statusOf(server.port, {})
  const expected = server.credential === 'none' ? 200 : 401
  if (withCredential !== 200 || withoutCredential !== expected) {
    throw new Error(`${server.name}: with credential ${withCredential} (want 200), without ${withoutCredential} (want ${expected})`)
  }
  return { withCredential, withoutCredential }
}

const CLOCK_TICKS = (() => {
  const run = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
  const ticks = Number(run.stdout)
  return run.status === 0 && ticks > 0 ? ticks : 100
})()

/** CPU time (user + system) a process used so far, in µs, from /proc (Linux); `undefined` elsewhere. */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 14 and 15 of proc(5) (utime, stime) are at 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS
  } catch {
    return undefined
  }
}

/**
 * Load a server for `duration` seconds: requests/s, latency, and the server's own CPU time per
 * request (a steadier figure than requests/s when the load generator shares the machine).
 */
export async function load(server, fixtures, { duration, connections }) {
  const cpuBefore = cpuMicros(server.child.pid)
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/pets`,
    connections,
    duration,
    pipelining: 1,
    headers: credentialHeaders(server.credential, fixtures),
  })
  const cpuAfter = cpuMicros(server.child.pid)
  const served = result.requests.total
  return {
    rps: served / result.duration,
    cpu_us_per_req: cpuBefore === undefined || cpuAfter === undefined || served === 0 ? null : (cpuAfter - cpuBefore) / served,
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

/** Variants that can run in this checkout (JWT ones need `jwtBearer`, Bun ones need bun). */
export function runnable(names) {
  return names.filter((name) => (!NEEDS_JWT.has(name) || hasJwt) && (VARIANTS[name].runtime !== 'bun' || existsSync(BUN)))
}

/**
 * Run the HTTP benchmarks over `names`, group by group. Returns one row per variant with the
 * median requests/s over `rounds`.
 */
export async function runHttp({ fixtures, fixturesFile, names, rounds = 3, duration = 5, warmup = 1, connections = 32, log = () => {} }) {
  const rows = []
  const groups = [...new Set(names.map((name) => VARIANTS[name].group))]
  for (const group of groups) {
    const servers = []
    try {
      // Start the group's servers together (start-up is not measured), then check and warm each.
      const started = await Promise.allSettled(names.filter((n) => VARIANTS[n].group === group).map((name) => startServer(name, fixturesFile)))
      for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value)
      const failed = started.find((outcome) => outcome.status === 'rejected')
      if (failed !== undefined) throw failed.reason
      for (const server of servers) {
        await checkServer(server, fixtures)
        if (warmup > 0) await load(server, fixtures, { duration: warmup, connections })
      }
      const runs = servers.map(() => [])
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < servers.length; k++) {
          const i = (k + round) % servers.length
          const result = await load(servers[i], fixtures, { duration, connections })
          if (result.non2xx > 0 || result.errors > 0) {
            throw new Error(`${servers[i].name}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`)
          }
          runs[i].push(result)
          log(`http round ${round + 1}/${rounds}: ${servers[i].label}: ${Math.round(result.rps)} req/s`)
        }
      }
      servers.forEach((server, i) => {
        rows.push({
          name: server.name,
          group,
          label: server.label,
          runtime: server.runtime,
          adapter: server.adapter,
          rps: median(runs[i].map((r) => r.rps)),
          rps_runs: runs[i].map((r) => r.rps),
          cpu_us_per_req: runs[i].some((r) => r.cpu_us_per_req === null) ? null : median(runs[i].map((r) => r.cpu_us_per_req)),
          cpu_runs: runs[i].map((r) => r.cpu_us_per_req),
          latency_p50_ms: median(runs[i].map((r) => r.latency_p50_ms)),
          latency_p99_ms: median(runs[i].map((r) => r.latency_p99_ms)),
        })
      })
    } finally {
      await Promise.all(servers.map((server) => server.stop()))
    }
  }
  return rows
}

/** Requests/s of one variant. */
export function rpsOf(rows, name) {
  return rows.find((row) => row.name === name)?.rps
}

/** Paired ratio (median over rounds) of two variants' requests/s. */
export function rpsRatio(rows, a, b) {
  return pairedRatio(rows.find((row) => row.name === a)?.rps_runs, rows.find((row) => row.name === b)?.rps_runs)
}

/**
 * Paired ratio of server CPU per request, inverted (b's CPU / a's CPU): the requests/s ratio a
 * CPU-bound server would reach, steadier than requests/s when the load generator competes.
 */
export function cpuRatio(rows, a, b) {
  const runs = (name) => rows.find((row) => row.name === name)?.cpu_runs
  const ra = runs(a)
  const rb = runs(b)
  if (ra === undefined || rb === undefined || ra.some((x) => x === null) || rb.some((x) => x === null)) return null
  return pairedRatio(rb, ra)
}

/** The HTTP ratios of the targets (and a few more), each the median of per-round ratios. */
export function httpRatios(rows) {
  const all = {
    hono_apikey_cpu_vs_floor: cpuRatio(rows, 'hono-authspec-apikey', 'hono-floor'),
    hono_core_vs_floor: rpsRatio(rows, 'hono-authspec-core', 'hono-floor'),
    hono_core_cpu_vs_floor: cpuRatio(rows, 'hono-authspec-core', 'hono-floor'),
    hono_apikey_vs_floor_with_same_headers: rpsRatio(rows, 'hono-authspec-apikey', 'hono-floor-headers'),
    hono_apikey_cpu_vs_floor_with_same_headers: cpuRatio(rows, 'hono-authspec-apikey', 'hono-floor-headers'),
    express_cpu_vs_floor: cpuRatio(rows, 'express-authspec-apikey', 'express-floor-headers'),
    express_cpu_vs_floor_without_headers: cpuRatio(rows, 'express-authspec-apikey', 'express-floor'),
    express_openapi_cpu_vs_requireauth: cpuRatio(rows, 'express-authspec-openapi', 'express-authspec-apikey'),
    express_noop_layer_vs_requireauth: rpsRatio(rows, 'express-authspec-apikey-layer', 'express-authspec-apikey'),
    express_noop_layer_cpu_vs_requireauth: cpuRatio(rows, 'express-authspec-apikey-layer', 'express-authspec-apikey'),
    express_openapi_vs_noop_layer: rpsRatio(rows, 'express-authspec-openapi', 'express-authspec-apikey-layer'),
    hono_openapi_cpu_vs_requireauth: cpuRatio(rows, 'hono-authspec-openapi', 'hono-authspec-apikey'),
    express_core_cpu_vs_floor: cpuRatio(rows, 'express-authspec-core', 'express-floor'),
    express_cpu_vs_async_floor: cpuRatio(rows, 'express-authspec-apikey', 'express-floor-async'),
    express_vs_async_floor: rpsRatio(rows, 'express-authspec-apikey', 'express-floor-async'),
    express_vs_floor_without_headers: rpsRatio(rows, 'express-authspec-apikey', 'express-floor'),
    express_cpu_vs_passport: cpuRatio(rows, 'express-authspec-apikey', 'express-passport'),
    bun_apikey_cpu_vs_floor: cpuRatio(rows, 'bun-authspec-apikey', 'bun-floor'),
  }
  const out = {
    hono_apikey_vs_floor: rpsRatio(rows, 'hono-authspec-apikey', 'hono-floor'),
    hono_openapi_vs_requireauth: rpsRatio(rows, 'hono-authspec-openapi', 'hono-authspec-apikey'),
    express_openapi_vs_requireauth: rpsRatio(rows, 'express-authspec-openapi', 'express-authspec-apikey'),
    // docs/design.md's Express target: against the floor that sends the same response headers.
    express_vs_floor: rpsRatio(rows, 'express-authspec-apikey', 'express-floor-headers'),
    express_vs_passport: rpsRatio(rows, 'express-authspec-apikey', 'express-passport'),
    hono_floor_vs_no_auth: rpsRatio(rows, 'hono-floor', 'hono-none'),
    hono_apikey_vs_bearerauth: rpsRatio(rows, 'hono-authspec-apikey', 'hono-bearerauth'),
    hono_jwt_vs_hono_jwt: rpsRatio(rows, 'hono-authspec-jwt', 'hono-jwt'),
    express_jwt_vs_express_jwt: rpsRatio(rows, 'express-authspec-jwt', 'express-jwt'),
    express_jwks_vs_oauth2_bearer: rpsRatio(rows, 'express-authspec-jwks', 'express-oauth2-bearer'),
    bun_apikey_vs_floor: rpsRatio(rows, 'bun-authspec-apikey', 'bun-floor'),
  }
  for (const [key, value] of Object.entries(all)) if (value !== null) out[key] = value
  return out
}

/** Markdown table of HTTP results, each row relative to its group's floor. */
export function httpTable(rows) {
  const floorOf = { hono: 'hono-floor', express: 'express-floor', bun: 'bun-floor' }
  return markdownTable(
    ['server', 'req/s (median)', 'req/s per round', 'vs floor (paired)', 'server CPU µs/req', 'p50 / p99 latency', 'authspec via'],
    rows.map((row) => [
      row.label,
      Math.round(row.rps).toLocaleString('en-US'),
      row.rps_runs.map((r) => Math.round(r).toLocaleString('en-US')).join(' / '),
      `${rpsRatio(rows, row.name, floorOf[row.group]) ?? ''}×`,
      row.cpu_us_per_req === null ? '' : row.cpu_us_per_req.toFixed(1),
      `${row.latency_p50_ms} / ${row.latency_p99_ms} ms`,
      row.label.includes('authspec') ? row.adapter : '',
    ]),
  )
}
