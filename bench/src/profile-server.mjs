// Profile one benchmark server under load: `node bench/src/profile-server.mjs <variant> [seconds]`.
// Starts the server with `node --cpu-prof`, loads it with autocannon, stops it and prints where
// the .cpuprofile was written (open it in Chrome DevTools or speedscope) and the top functions.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { createFixtures, saveFixtures } from './fixtures.mjs'
import { VARIANTS, credentialHeaders } from './variants.mjs'

const name = process.argv[2]
const seconds = Number(process.argv[3] ?? 6)
if (VARIANTS[name]?.runtime !== 'node') throw new Error(`give a Node variant: ${Object.keys(VARIANTS).filter((n) => VARIANTS[n].runtime === 'node').join(', ')}`)
const dir = mkdtempSync(join(tmpdir(), 'authspec-profile-'))
const fixtures = await createFixtures()
const server = fileURLToPath(new URL('./server-node.mjs', import.meta.url))
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, server, name], {
  env: { ...process.env, AUTHSPEC_BENCH_FIXTURES: saveFixtures(fixtures) },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const port = await new Promise((resolve) => {
  let out = ''
  child.stdout.on('data', (chunk) => {
    out += chunk
    const match = /^PORT (\d+)/m.exec(out)
    if (match !== null) resolve(Number(match[1]))
  })
})
const result = await autocannon({ url: `http://127.0.0.1:${port}/pets`, connections: 32, duration: seconds, headers: credentialHeaders(VARIANTS[name].credential, fixtures) })
console.log(`${name}: ${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx`)
child.kill('SIGTERM')
await new Promise((resolve) => child.once('exit', resolve))

const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')))
const profile = JSON.parse(readFileSync(file, 'utf8'))
const time = new Map()
profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const self = new Map()
let total = 0
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-3).join('/')}:${lineNumber + 1}`
  const t = time.get(node.id) ?? 0
  total += t
  self.set(key, (self.get(key) ?? 0) + t)
}
// Inclusive time of the functions whose location contains the optional third argument.
const focus = process.argv[4]
if (focus !== undefined) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const inclusive = (node) => (time.get(node.id) ?? 0) + (node.children ?? []).reduce((sum, id) => sum + inclusive(byId.get(id)), 0)
  const totals = new Map()
  const visit = (node, inside) => {
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-3).join('/')}:${lineNumber + 1}`
    const match = url.includes(focus) && !inside.has(key)
    if (match) totals.set(key, (totals.get(key) ?? 0) + inclusive(node))
    const next = match ? new Set([...inside, key]) : inside
    for (const id of node.children ?? []) visit(byId.get(id), next)
  }
  visit(profile.nodes[0], new Set())
  console.log(`inclusive time under "${focus}":`)
  for (const [key, t] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`)
}
console.log(`profile: ${file}`)
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`)
}
