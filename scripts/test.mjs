// Runs every test (vitest: unit, property, fuzz, type and integration tests) and ends with the
// plain summary line "N passed, N failed" (", N skipped" when any), exiting non-zero on failure.
// A test file that fails outside any test (a throwing beforeAll, an import error, a type error)
// counts as one failure, and so does a vitest run that fails without any failed test or file.
// First it installs what the tests need beyond `npm ci`: Node 24 and Deno into tools/runtimes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureRuntimes } from './runtimes.mjs'

ensureRuntimes()

const dir = mkdtempSync(join(tmpdir(), 'authspec-test-'))
const report = join(dir, 'vitest.json')
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
let counts
try {
  counts = summarize(JSON.parse(readFileSync(report, 'utf8')))
} catch (error) {
  console.error(`no vitest report (${error instanceof Error ? error.message : String(error)})`)
  counts = { passed: 0, failed: 0, skipped: 0 }
}
rmSync(dir, { recursive: true, force: true })
if (run.status !== 0 && counts.failed === 0) {
  console.error(`vitest exited with ${run.status ?? run.signal} without a failed test: counted as one failure`)
  counts.failed = 1
}
const status = run.status === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1
console.log(`\n${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`)
process.exit(status)

/**
 * Tests passed/failed/skipped from vitest's JSON report, plus one failure per test file that
 * failed without a failed test in it (its tests were never run, or all passed before it broke).
 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number,
 *   testResults: { status: string, assertionResults: { status: string }[] }[] }} json
 */
function summarize(json) {
  const brokenFiles = json.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')).length
  return {
    passed: json.numPassedTests,
    failed: json.numFailedTests + brokenFiles,
    skipped: json.numPendingTests + json.numTodoTests,
  }
}
