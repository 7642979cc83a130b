// scripts/test.mjs prints the closing "N passed, N failed" line that CI reads: a file that fails
// outside its tests (here a throwing beforeAll) must count as a failure, not vanish.
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../../..')

function runTestScript(...files: string[]): { status: number | null; lastLine: string } {
  const run = spawnSync(process.execPath, ['scripts/test.mjs', '--config', join(here, 'fixtures/vitest.config.ts'), ...files], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: run.status, lastLine: run.stdout.trim().split('\n').at(-1) ?? '' }
}

describe('scripts/test.mjs closing line', () => {
  it('counts a test file whose beforeAll throws as a failure and exits non-zero', () => {
    const { status, lastLine } = runTestScript('hook-throws', 'passes')
    expect(lastLine).toBe('1 passed, 1 failed, 1 skipped')
    expect(status).toBe(1)
  }, 60_000)

  it('reports a clean run as passed with exit 0', () => {
    const { status, lastLine } = runTestScript('passes')
    expect(lastLine).toBe('1 passed, 0 failed')
    expect(status).toBe(0)
  }, 60_000)
})
