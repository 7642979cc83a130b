// Runs a Worker entry in a real workerd for tests: bundled with esbuild as Workers bundles it,
// served on 127.0.0.1, stopped by the caller. Imported by relative path from other packages'
// tests too (the MCP example), so it needs no build step.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

/** The platform binary of the `workerd` npm package (its default export is the path). */
const WORKERD = (createRequire(import.meta.url)('workerd') as { default: string }).default

/** Bundle a Worker entry into one ES module, with the export conditions Workers bundlers use. */
export async function bundleWorker(entry: string, outfile: string, options: { external?: string[] } = {}): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    ...(options.external === undefined ? {} : { external: options.external }),
    logLevel: 'warning',
  })
}

/** A free port on 127.0.0.1 (for a Worker whose bindings must name its own origin). */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** What {@link startWorkerd} runs. */
export interface WorkerdOptions {
  /** The Worker's entry module (TypeScript is fine). */
  entry: string
  /** Text bindings of the Worker (`env.NAME`). */
  bindings: Record<string, string>
  /** The port to listen on. @default 0 (any free port) */
  port?: number
  compatibilityFlags?: string[]
  /** Modules esbuild leaves as imports (`node:*` with `nodejs_compat`). */
  external?: string[]
}

/** A running workerd. */
export interface RunningWorkerd {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** What workerd printed so far. */
  log(): string
  /** Stop workerd (waiting for it to exit, at most 5 s) and remove its directory. */
  close(): Promise<void>
}

const capnpString = (value: string): string => JSON.stringify(value)

function config(port: number, bindings: Record<string, string>, flags: readonly string[]): string {
  const lines = Object.entries(bindings).map(([name, value]) => `    (name = ${capnpString(name)}, text = ${capnpString(value)}),`)
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "app", worker = .app),
    # Test servers (JWKS, issuers) are on 127.0.0.1: let the worker's fetch() reach loopback addresses.
    (name = "internet", network = (allow = ["local", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = (name = "app", entrypoint = "worker"))],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = [${flags.map(capnpString).join(', ')}],
  bindings = [
${lines.join('\n')}
  ],
  globalOutbound = "internet",
);
`
}

/**
 * Bundle `entry`, write a workerd config for it in a temporary directory, start workerd and
 * resolve once its control fd reports the port it listens on (30 s at most).
 */
export async function startWorkerd(options: WorkerdOptions): Promise<RunningWorkerd> {
  const dir = await mkdtemp(join(tmpdir(), 'authspec-workerd-'))
  await bundleWorker(options.entry, join(dir, 'worker.js'), { external: options.external })
  await writeFile(join(dir, 'config.capnp'), config(options.port ?? 0, options.bindings, options.compatibilityFlags ?? []))
  const child = spawn(WORKERD, ['serve', 'config.capnp', '--control-fd=3'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
  let log = ''
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workerd did not start:\n${log}`)), 30_000)
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`workerd exited (${code}):\n${log}`))))
      let control = ''
      ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        control += chunk.toString()
        for (const line of control.split('\n')) {
          if (!line.includes('"listen"')) continue
          clearTimeout(timer)
          resolve((JSON.parse(line) as { port: number }).port)
        }
      })
    })
    return { url: `http://127.0.0.1:${port}`, log: () => log, close }
  } catch (error) {
    await close()
    throw error
  }
}
