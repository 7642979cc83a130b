// Interleaved A/B measurement and its statistics. Two operations run in alternating short rounds
// (A B, B A, A B, …), each round timed in wall-clock and in process CPU time; every adjacent A/B
// pair gives one ratio, and a figure is the median of those pair ratios with a bootstrap 95%
// confidence interval. Rounds continue until the interval decides the question or the time
// budget runs out.
import { median } from './stats.mjs'

/** A small seeded generator (mulberry32), so that a bootstrap can be repeated exactly. */
export function seededRandom(seed = 1) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The q-quantile (0 ≤ q ≤ 1) of an ascending list, linear between neighbours. */
export function quantile(sorted, q) {
  if (sorted.length === 0) throw new Error('quantile of an empty list')
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low)
}

/**
 * Percentile bootstrap interval of the median: `resamples` times, draw values.length values with
 * replacement and take their median; the interval is the (1 − level)/2 and (1 + level)/2
 * quantiles of those medians.
 */
export function bootstrapMedianCI(values, { resamples = 2000, level = 0.95, random = seededRandom(1) } = {}) {
  if (values.length === 0) throw new Error('bootstrap of an empty list')
  const n = values.length
  const sample = new Float64Array(n)
  const medians = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(random() * n)]
    sample.sort()
    const mid = n >> 1
    medians[r] = n % 2 === 1 ? sample[mid] : (sample[mid - 1] + sample[mid]) / 2
  }
  medians.sort()
  const sorted = Array.from(medians)
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)]
}

/**
 * Two-stage (cluster) bootstrap interval of the median of values measured in several processes
 * (`groups`, one list per process): each resample draws as many processes as there are, with
 * replacement, then within each drawn process as many of its values, with replacement, and takes
 * the median of the pool. A process's JIT decisions shift all its pairs at once, so the spread
 * between processes widens the interval where one process's own pairs would not.
 */
export function clusterBootstrapMedianCI(groups, { resamples = 2000, level = 0.95, random = seededRandom(1) } = {}) {
  const nonEmpty = groups.filter((g) => g.length > 0)
  if (nonEmpty.length === 0) throw new Error('bootstrap of an empty list')
  const medians = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    const pool = []
    for (let g = 0; g < nonEmpty.length; g++) {
      const group = nonEmpty[Math.floor(random() * nonEmpty.length)]
      for (let i = 0; i < group.length; i++) pool.push(group[Math.floor(random() * group.length)])
    }
    medians[r] = median(pool)
  }
  medians.sort()
  const sorted = Array.from(medians)
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)]
}

/**
 * The figure of ratios measured in several processes (`groups`, one list per process): the median
 * of all of them and the two-stage interval ({@link clusterBootstrapMedianCI}), rounded to 0.001.
 */
export function pooledFigure(groups) {
  const round3 = (x) => Math.round(x * 1000) / 1000
  return { ratio: round3(median(groups.flat())), ci: clusterBootstrapMedianCI(groups).map(round3) }
}

/**
 * A target's verdict from the interval of its ratio: `met` when the whole interval satisfies
 * `ratio op bound`, `missed` when the whole interval violates it, `undecided` otherwise.
 */
export function verdict([lo, hi], op, bound) {
  if (op === '>=') return lo >= bound ? 'met' : hi < bound ? 'missed' : 'undecided'
  if (op === '<=') return hi <= bound ? 'met' : lo > bound ? 'missed' : 'undecided'
  throw new Error(`unknown comparison ${op}`)
}

/**
 * A build comparison's verdict from the interval of (time of A) / (time of B): `faster` when A
 * takes less time over the whole interval, `slower` when more, `same` otherwise. With `margin`,
 * `equivalent` says whether the interval lies within 1 ± margin (enough to stop measuring).
 */
export function compareVerdict([lo, hi], margin = 0.02) {
  const label = hi < 1 ? 'faster' : lo > 1 ? 'slower' : 'same'
  return { verdict: label, equivalent: lo >= 1 - margin && hi <= 1 + margin }
}

let sink
/** What the timed loops last produced (keeps their results observable). */
export const lastResult = () => sink

async function timed(op, iterations) {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  if (op.isAsync) for (let i = 0; i < iterations; i++) sink = await op.run()
  else for (let i = 0; i < iterations; i++) sink = op.run()
  const wall = Number(process.hrtime.bigint() - start)
  const used = process.cpuUsage(cpu)
  return { ns: wall / iterations, cpuNs: ((used.user + used.system) * 1000) / iterations }
}

/** How many iterations of `op` take about `ms` (measured, after a first untimed pass). */
async function calibrate(op, ms) {
  let iterations = 8
  for (;;) {
    const { ns } = await timed(op, iterations)
    if (ns * iterations >= ms * 1e6 * 0.25) return Math.max(1, Math.round((ms * 1e6) / ns))
    iterations *= 4
  }
}

/**
 * Pair ratio of two rounds. `time`: A's time / B's time (below 1: A is faster). `throughput`:
 * B's time / A's time, i.e. A's operations per second / B's (above 1: A serves more).
 */
export function pairRatio(kind, a, b) {
  return kind === 'time' ? a / b : b / a
}

/** The figures of a list of pairs: median pair ratio, its interval, and the same in CPU time. */
export function summarize(pairs, kind, { resamples = 2000, level = 0.95 } = {}) {
  const wall = pairs.map((p) => pairRatio(kind, p.a.ns, p.b.ns))
  const cpu = pairs.map((p) => pairRatio(kind, p.a.cpuNs, p.b.cpuNs)).filter((x) => Number.isFinite(x) && x > 0)
  const round3 = (x) => Math.round(x * 1000) / 1000
  return {
    ratio: round3(median(wall)),
    ci: bootstrapMedianCI(wall, { resamples, level }).map(round3),
    cpu_ratio: cpu.length === 0 ? null : round3(median(cpu)),
    cpu_ci: cpu.length === 0 ? null : bootstrapMedianCI(cpu, { resamples, level }).map(round3),
    pairs: pairs.length,
    wall,
    cpu,
    a_ns: Math.round(median(pairs.map((p) => p.a.ns))),
    b_ns: Math.round(median(pairs.map((p) => p.b.ns))),
  }
}

/** The pair counts at which `interleave` may stop early: minPairs, 2 × minPairs, 4 × minPairs, … */
export function isLook(pairs, minPairs) {
  if (pairs < minPairs || pairs % minPairs !== 0) return false
  const multiple = pairs / minPairs
  return (multiple & (multiple - 1)) === 0
}

/**
 * Run A and B (`{ run, isAsync }`) in interleaved rounds of about `roundMs` each (the first of a
 * pair alternating), discard `warmupPairs`, then add pairs until `budgetMs` of measuring has
 * passed, or stop early at a look (`isLook`: after minPairs, 2 × minPairs, 4 × … pairs) where
 * `done(summary)` holds for the stricter `lookLevel` (99%) interval: fewer, stricter looks keep
 * the chance of stopping on a lucky streak small. Returns the 95% summary of all pairs.
 */
export async function interleave(a, b, { kind, roundMs = 50, warmupPairs = 4, minPairs = 20, budgetMs = 8000, lookLevel = 0.99, done = () => false, log = () => {} }) {
  for (const op of [a, b]) {
    const first = op.run()
    op.isAsync ??= first instanceof Promise
    await first
  }
  const iterations = { a: await calibrate(a, roundMs), b: await calibrate(b, roundMs) }
  const pairs = []
  let started = performance.now()
  for (let k = 0; ; k++) {
    const first = k % 2 === 0 ? 'a' : 'b'
    const pair = {}
    for (const side of first === 'a' ? ['a', 'b'] : ['b', 'a']) pair[side] = await timed(side === 'a' ? a : b, iterations[side])
    // Every pair re-sizes the next rounds to about roundMs (the code speeds up as V8 optimises it,
    // and a loaded host slows it down); warm-up pairs are discarded.
    for (const side of ['a', 'b']) iterations[side] = Math.max(1, Math.round((roundMs * 1e6) / pair[side].ns))
    if (k < warmupPairs) {
      if (k === warmupPairs - 1) started = performance.now()
      continue
    }
    pairs.push(pair)
    if (isLook(pairs.length, minPairs) && done(summarize(pairs, kind, { level: lookLevel }))) break
    if (pairs.length >= minPairs && performance.now() - started >= budgetMs) break
  }
  const summary = summarize(pairs, kind)
  const elapsed = performance.now() - started
  summary.seconds = Math.round(elapsed / 100) / 10
  summary.round_ms = Math.round(elapsed / (2 * pairs.length))
  log(`  ${summary.pairs} pairs (rounds of ${summary.round_ms} ms) in ${summary.seconds} s: ${summary.ratio} [${summary.ci.join(', ')}] cpu ${summary.cpu_ratio}`)
  return summary
}
