// The statistics of the in-process benchmark (bench/src/interleave.mjs): the bootstrap interval,
// the verdict rules, the stopping schedule, and one short real interleaved run.
import { describe, expect, it } from 'vitest'
import { combineRuns } from '../src/inprocess.mjs'
import { bootstrapMedianCI, clusterBootstrapMedianCI, compareVerdict, interleave, isLook, pairRatio, quantile, seededRandom, summarize, verdict } from '../src/interleave.mjs'

/** A normal draw (Box–Muller) from a seeded uniform source. */
function normal(random: () => number, mean: number, sd: number) {
  return mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

describe('bootstrap interval of the median', () => {
  it('quantile interpolates between neighbours', () => {
    expect(quantile([1, 2, 3, 4], 0)).toBe(1)
    expect(quantile([1, 2, 3, 4], 1)).toBe(4)
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([10, 20], 0.25)).toBe(12.5)
  })

  it('contains the true median of a known distribution (normal, median 0.9) and narrows with more data', () => {
    const random = seededRandom(7)
    const small = Array.from({ length: 30 }, () => normal(random, 0.9, 0.05))
    const large = Array.from({ length: 400 }, () => normal(random, 0.9, 0.05))
    const [lo30, hi30] = bootstrapMedianCI(small)
    const [lo400, hi400] = bootstrapMedianCI(large)
    expect(lo30).toBeLessThan(0.9)
    expect(hi30).toBeGreaterThan(0.9)
    expect(lo400).toBeLessThan(0.9)
    expect(hi400).toBeGreaterThan(0.9)
    expect(hi400 - lo400).toBeLessThan((hi30 - lo30) * 0.6)
    // Roughly the width theory gives for a median: 2 × 1.96 × 1.2533 σ / √n.
    expect(hi400 - lo400).toBeGreaterThan(0.006)
    expect(hi400 - lo400).toBeLessThan(0.02)
  })

  it('covers the true median in about 95% of repeated experiments (skewed: lognormal)', () => {
    const random = seededRandom(11)
    const trueMedian = 1 // exp(0)
    let covered = 0
    const experiments = 200
    for (let e = 0; e < experiments; e++) {
      const values = Array.from({ length: 41 }, () => Math.exp(normal(random, 0, 0.2)))
      const [lo, hi] = bootstrapMedianCI(values, { resamples: 1000, random: seededRandom(e + 1) })
      if (lo <= trueMedian && trueMedian <= hi) covered++
    }
    expect(covered / experiments).toBeGreaterThan(0.88)
    expect(covered / experiments).toBeLessThan(0.995)
  })

  it('is reproducible with the same seed and a single value gives a point interval', () => {
    const values = [1.1, 0.9, 1.3, 0.95, 1.05, 1.2]
    expect(bootstrapMedianCI(values, { random: seededRandom(3) })).toEqual(bootstrapMedianCI(values, { random: seededRandom(3) }))
    expect(bootstrapMedianCI([2])).toEqual([2, 2])
    expect(() => bootstrapMedianCI([])).toThrow()
  })
})

describe('several processes: two-stage bootstrap', () => {
  // Three processes whose pairs are tight (sd 0.005) around different medians: 1.00, 1.05, 1.10.
  const random = seededRandom(7)
  const groups = [1.0, 1.05, 1.1].map((center) => Array.from({ length: 40 }, () => normal(random, center, 0.005)))

  it('widens the interval to the spread between processes, where pooling the pairs would not', () => {
    const pooled = bootstrapMedianCI(groups.flat())
    const cluster = clusterBootstrapMedianCI(groups)
    expect(pooled[1] - pooled[0]).toBeLessThan(0.03)
    expect(cluster[1] - cluster[0]).toBeGreaterThan(0.06)
    expect(cluster[0]).toBeLessThan(1.02)
    expect(cluster[1]).toBeGreaterThan(1.08)
  })

  it('with one process it is about the one-stage interval, and it is reproducible', () => {
    const one = clusterBootstrapMedianCI([groups[0]!], { random: seededRandom(5) })
    const single = bootstrapMedianCI(groups[0]!, { random: seededRandom(5) })
    // The same procedure, with other random draws (one more per resample: which process).
    expect(Math.abs(one[0]! - single[0]!)).toBeLessThan(0.002)
    expect(Math.abs(one[1]! - single[1]!)).toBeLessThan(0.002)
    expect(clusterBootstrapMedianCI(groups, { random: seededRandom(2) })).toEqual(clusterBootstrapMedianCI(groups, { random: seededRandom(2) }))
    expect(() => clusterBootstrapMedianCI([[], []])).toThrow()
  })

  it('a target over three processes: median of every pair, the verdict from the two-stage interval, the ratio of each process kept', () => {
    const run = (values: number[], ratio: number) => ({ wall: values, cpu: values, pairs: values.length, ratio, a_ns: 500, b_ns: 250, seconds: 2 })
    const figure = combineRuns('apikey_stored_vs_static', [run(groups[0]!.map((x) => x * 1.9), 1.9), run(groups[1]!.map((x) => x * 1.9), 2.0), run(groups[2]!.map((x) => x * 1.9), 2.09)])
    expect(figure.processes).toBe(3)
    expect(figure.pairs).toBe(120)
    expect(figure.process_ratios).toEqual([1.9, 2.0, 2.09])
    expect(figure.ratio).toBeGreaterThan(1.98)
    expect(figure.ratio).toBeLessThan(2.02)
    // One process alone would be met (1.90 ± 0.01 ≤ 2); over three the interval straddles 2.
    expect(figure.verdict).toBe('undecided')
  })
})

describe('verdicts', () => {
  it('>= bounds (throughput): met only when the whole interval is at or above the bound', () => {
    expect(verdict([0.96, 1.02], '>=', 0.95)).toBe('met')
    expect(verdict([0.95, 1.02], '>=', 0.95)).toBe('met')
    expect(verdict([0.8, 0.94], '>=', 0.95)).toBe('missed')
    expect(verdict([0.93, 0.97], '>=', 0.95)).toBe('undecided')
  })

  it('<= bounds (time): met only when the whole interval is at or below the bound', () => {
    expect(verdict([0.6, 0.9], '<=', 1)).toBe('met')
    expect(verdict([1.16, 1.3], '<=', 1.15)).toBe('missed')
    expect(verdict([1.1, 1.2], '<=', 1.15)).toBe('undecided')
    expect(() => verdict([1, 1], '==', 1)).toThrow()
  })

  it('build comparison: faster / slower only when the interval excludes 1; equivalent within ±2%', () => {
    expect(compareVerdict([0.9, 0.97])).toEqual({ verdict: 'faster', equivalent: false })
    expect(compareVerdict([1.03, 1.1])).toEqual({ verdict: 'slower', equivalent: false })
    expect(compareVerdict([0.99, 1.01])).toEqual({ verdict: 'same', equivalent: true })
    expect(compareVerdict([0.9, 1.1])).toEqual({ verdict: 'same', equivalent: false })
  })

  it('pair ratios: time is A/B, throughput is B/A (operations per second of A over B)', () => {
    expect(pairRatio('time', 120, 100)).toBe(1.2)
    expect(pairRatio('throughput', 125, 100)).toBe(0.8)
    const pairs = [1, 2, 3].map((k) => ({ a: { ns: 110 * k, cpuNs: 100 * k }, b: { ns: 100 * k, cpuNs: 100 * k } }))
    const summary = summarize(pairs, 'time')
    expect(summary.ratio).toBe(1.1)
    expect(summary.cpu_ratio).toBe(1)
    expect(summary.ci).toEqual([1.1, 1.1])
  })

  it('looks at minPairs × 1, 2, 4, 8 … only', () => {
    const looks = Array.from({ length: 200 }, (_, i) => i + 1).filter((n) => isLook(n, 20))
    expect(looks).toEqual([20, 40, 80, 160])
  })
})

describe('interleave on real operations', () => {
  it('finds that doing twice the work takes about twice the time, and stops at the first look', async () => {
    const work = (n: number) => {
      let x = 0
      for (let i = 0; i < n; i++) x = (x * 31 + i) | 0
      return x
    }
    const a = { run: () => work(4000) }
    const b = { run: () => work(2000) }
    const summary = await interleave(a, b, { kind: 'time', roundMs: 10, warmupPairs: 2, minPairs: 20, budgetMs: 3000, done: (s: { ci: number[] }) => verdict(s.ci, '>=', 1.5) === 'met' })
    expect(summary.pairs).toBe(20)
    expect(summary.ratio).toBeGreaterThan(1.5)
    expect(summary.ratio).toBeLessThan(2.6)
    expect(summary.ci[0]).toBeLessThanOrEqual(summary.ratio)
    expect(summary.ci[1]).toBeGreaterThanOrEqual(summary.ratio)
  })
})
