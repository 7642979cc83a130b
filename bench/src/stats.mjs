// Small statistics and formatting helpers shared by the runners.

/** Median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error('median of an empty list')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * The median over rounds of a[i] / b[i]: each round's two figures were measured close together
 * in time, so a paired ratio cancels most of the drift of a shared, noisy machine.
 */
export function pairedRatio(a, b) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || a.length !== b.length) return null
  if (b.some((x) => x === 0)) return null
  return Math.round(median(a.map((x, i) => x / b[i])) * 1000) / 1000
}

/** Human-readable duration from nanoseconds. */
export function formatNs(ns) {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`
  return `${(ns / 1_000_000).toFixed(2)} ms`
}

/** A markdown table from a header row and body rows. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** Whether the module with this `import.meta.url` is the script node was started with. */
export function isMain(url) {
  return process.argv[1] !== undefined && url === new URL(`file://${process.argv[1]}`).href
}
