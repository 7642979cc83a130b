import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { request as httpRequest } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const HERE = dirname(fileURLToPath(import.meta.url))
const FIXTURE = join(HERE, 'fixtures', 'runtime-server.mjs')
const require = createRequire(import.meta.url)
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`

/** The runtimes' binaries, from their npm packages (devDependencies of this package). */
const RUNTIMES = {
  bun: { bin: join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe'), args: [FIXTURE] },
  deno: { bin: join(dirname(require.resolve('deno/package.json')), 'deno'), args: ['run', '--allow-net', '--allow-read', '--allow-env', FIXTURE] },
}

const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
})

/** Start the fixture under `runtime`; resolves with its port (the first line it prints). */
function start(runtime: keyof typeof RUNTIMES): Promise<number> {
  const { bin, args } = RUNTIMES[runtime]
  const child = spawn(bin, args, { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`${runtime} did not start in 20 s: ${err}`)), 20_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = /^(\d+)\n/m.exec(out)
      if (line !== null) {
        clearTimeout(timer)
        resolve(Number(line[1]))
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`${runtime} exited (${code}): ${err}`)))
  })
}

/** GET over a real socket from `localAddress` (127.0.0.x are all loopback on Linux). */
function get(port: number, localAddress: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/pets', localAddress, agent: false, headers: { authorization } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode!))
    })
    req.on('error', reject)
    req.end()
  })
}

describe.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('Hono on %s gives the connection address to failed-auth throttling', (runtime) => {
  it('two failures from 127.0.0.2 throttle that address (429); 127.0.0.3 still passes', async () => {
    const port = await start(runtime)
    expect(await get(port, '127.0.0.2', basic('a:wrong'))).toBe(401)
    expect(await get(port, '127.0.0.2', basic('b:wrong'))).toBe(401)
    expect(await get(port, '127.0.0.2', basic('a:right'))).toBe(429)
    expect(await get(port, '127.0.0.3', basic('a:right'))).toBe(200)
  }, 30_000)
})
