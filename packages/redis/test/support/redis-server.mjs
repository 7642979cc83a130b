// Starts a real redis-server for tests and benchmarks: 127.0.0.1, a free port, a temporary
// directory, no persistence; stopped (and restarted) on request. When redis-server is missing it
// is installed from Debian (apt-get, when running as root), or the caller gets one line saying how.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HOW = 'redis-server is missing: install it with `apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis`, or put it on PATH'

function which(name) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin', '/usr/local/bin']) {
    const path = join(dir, name)
    if (dir !== '' && existsSync(path)) return path
  }
  return undefined
}

/** The path of redis-server, installing it through apt-get when root and it is missing. */
export function findRedisServer() {
  let path = which('redis-server')
  if (path !== undefined) return path
  if (typeof process.getuid === 'function' && process.getuid() === 0 && which('apt-get') !== undefined) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 })
    spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore', env, timeout: 600_000 })
    path = which('redis-server')
    if (path !== undefined) return path
  }
  throw new Error(HOW)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.setTimeout(500, () => socket.destroy())
    socket.once('error', () => resolve(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.once('close', () => resolve(false))
  })
}

/**
 * Start redis-server. Returns `{ port, url, stop(), start(), close() }`: `stop()` kills it (for
 * outage tests), `start()` starts it again on the same port, `close()` stops it for good and
 * removes its directory.
 */
export async function startRedis() {
  const binary = findRedisServer()
  const dir = mkdtempSync(join(tmpdir(), 'authspec-redis-'))
  const port = await freePort()
  let child
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--daemonize', 'no', '--loglevel', 'warning'], { stdio: 'ignore' })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.exited = exited
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return
      if (child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`redis-server did not start on 127.0.0.1:${port}`)
  }
  const stop = async () => {
    if (child === undefined || child.exitCode !== null) return
    child.kill('SIGKILL')
    await child.exited
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
