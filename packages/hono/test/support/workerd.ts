// Runs a Worker entry in a real workerd for tests: bundled with esbuild as Workers bundles it,
// served on 127.0.0.1, stopped by the caller. Imported by relative path from other packages'
// tests too (the MCP example, the core guides), so it needs no build step. workerd is the
// `workerd` npm binary, a devDependency of packages/hono.
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
  /** KV namespace bindings, each backed by the HTTP service on this 127.0.0.1 port (see {@link kvServer}). */
  kvNamespaces?: Record<string, number>
  /** The port to listen on. @default 0 (any free port) */
  port?: number
  compatibilityFlags?: string[]
  /** The named export that handles requests. @default the module's default export */
  entrypoint?: string
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

function config(port: number, options: WorkerdOptions): string {
  const kv = Object.entries(options.kvNamespaces ?? {})
  const lines = [
    ...Object.entries(options.bindings).map(([name, value]) => `    (name = ${capnpString(name)}, text = ${capnpString(value)}),`),
    ...kv.map(([name]) => `    (name = ${capnpString(name)}, kvNamespace = ${capnpString(`kv-${name}`)}),`),
  ]
  const kvServices = kv.map(([name, backend]) => `    (name = ${capnpString(`kv-${name}`)}, external = (address = "127.0.0.1:${backend}", http = ())),\n`).join('')
  const flags = (options.compatibilityFlags ?? []).map(capnpString).join(', ')
  const service = options.entrypoint === undefined ? '"app"' : `(name = "app", entrypoint = ${capnpString(options.entrypoint)})`
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "app", worker = .app),
    # Test servers (JWKS, issuers) are on 127.0.0.1: let the worker's fetch() reach loopback addresses.
    (name = "internet", network = (allow = ["local", "private"])),
${kvServices}  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = ${service})],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = [${flags}],
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
  await writeFile(join(dir, 'config.capnp'), config(options.port ?? 0, options))
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

/** The storage behind a workerd KV binding, recording what was read and written. */
export interface KvServer {
  readonly port: number
  readonly puts: { key: string; expirationTtl: string | null }[]
  readonly gets: string[]
  close(): Promise<void>
}

/**
 * A KV backend for {@link WorkerdOptions.kvNamespaces}: workerd's KV binding speaks HTTP to it
 * (`GET|PUT /<key>?urlencoded=true[&expiration_ttl=s]`, 404 for a miss); values are kept in
 * memory, on 127.0.0.1.
 */
export async function kvServer(): Promise<KvServer> {
  const values = new Map<string, string>()
  const puts: KvServer['puts'] = []
  const gets: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://kv')
      const key = decodeURIComponent(url.pathname.slice(1))
      if (req.method === 'PUT') {
        values.set(key, Buffer.concat(chunks).toString('utf8'))
        puts.push({ key, expirationTtl: url.searchParams.get('expiration_ttl') })
        res.writeHead(200).end()
      } else if (req.method === 'GET') {
        gets.push(key)
        const value = values.get(key)
        if (value === undefined) res.writeHead(404).end()
        else res.writeHead(200, { 'content-type': 'text/plain' }).end(value)
      } else res.writeHead(405).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    puts,
    gets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
