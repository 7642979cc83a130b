// Runs every test (vitest: unit, property, fuzz, type and integration tests) and ends with the
// plain summary line "N passed, N failed" (", N skipped" when any), exiting non-zero on failure.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'authspec-test-'))
const report = join(dir, 'vitest.json')
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
let passed = 0
let failed = 0
let skipped = 0
try {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed = json.numPassedTests
  failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0)
  skipped = json.numPendingTests + json.numTodoTests
} catch {
  failed += 1
}
rmSync(dir, { recursive: true, force: true })
const status = run.status === 0 && failed === 0 && passed > 0 ? 0 : 1
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(status)
