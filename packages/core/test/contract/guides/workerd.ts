/**
 * Run a guide's worker in workerd (the `workerd` npm binary, a devDependency of packages/hono),
 * with text bindings and KV namespace bindings. workerd's own KV binding speaks HTTP to a
 * backend service (`GET|PUT /<key>?urlencoded=true[&expiration_ttl=s]`, 404 for a miss): here a
 * Node server on 127.0.0.1 keeping the values in memory, recording what was read and written.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

const WORKERD = (createRequire(import.meta.url)('workerd') as { default: string }).default

/** Bundle a module whose default export is a Workers `{ fetch }` handler. */
export async function workerBundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    logLevel: 'warning',
  })
  return result.outputFiles[0]!.text
}

export interface KvServer {
  readonly port: number
  readonly puts: { key: string; expirationTtl: string | null }[]
  readonly gets: string[]
  close(): Promise<void>
}

/** The storage behind a workerd KV binding. */
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

export interface Workerd {
  readonly url: string
  stop(): Promise<void>
}

/** Start workerd serving `bundle` on a free 127.0.0.1 port; fetch() may reach loopback addresses. */
export async function startWorkerd(bundle: string, text: Record<string, string>, kv: Record<string, number>): Promise<Workerd> {
  const dir = await mkdtemp(join(tmpdir(), 'authspec-guide-workerd-'))
  const bindings = [
    ...Object.entries(text).map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`),
    ...Object.keys(kv).map((name) => `(name = ${JSON.stringify(name)}, kvNamespace = ${JSON.stringify(`kv-${name}`)})`),
  ]
  const kvServices = Object.entries(kv).map(([name, port]) => `(name = ${JSON.stringify(`kv-${name}`)}, external = (address = "127.0.0.1:${port}", http = ())),`)
  await writeFile(join(dir, 'worker.js'), bundle)
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .main),
    (name = "internet", network = (allow = ["local", "private"])),
    ${kvServices.join('\n    ')}
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const main :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [${bindings.join(', ')}],
  globalOutbound = "internet",
);
`,
  )
  const child = spawn(WORKERD, ['serve', 'config.capnp', '--control-fd=3'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
  let log = ''
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workerd did not start in 30 s:\n${log}`)), 30_000)
      child.once('exit', (code) => reject(new Error(`workerd exited (${code}):\n${log}`)))
      let control = ''
      ;(child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        control += chunk.toString()
        const line = control.split('\n').find((l) => l.includes('"listen"'))
        if (line === undefined) return
        clearTimeout(timer)
        resolve((JSON.parse(line) as { port: number }).port)
      })
    })
    return { url: `http://127.0.0.1:${port}`, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
