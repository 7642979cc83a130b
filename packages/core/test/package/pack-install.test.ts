// The three published packages as a user gets them: `npm pack` each one, lint the tarballs with
// publint --strict and @arethetypeswrong/cli, install them into a new project in the OS temp dir
// next to hono, express and their types from the npm registry, typecheck each package README's
// example there with `bundler` and `nodenext` resolution (and `@authspec/core/testing` with the
// legacy `node10`), then run the compiled examples: one request through each adapter.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const PACKAGES = [
  { name: '@authspec/core', folder: 'packages/core' },
  { name: '@authspec/hono', folder: 'packages/hono' },
  { name: '@authspec/express', folder: 'packages/express' },
] as const

interface Packed {
  name: string
  tarball: string
  files: string[]
}

let project: string
const packed = new Map<string, Packed>()

function run(command: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } })
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** The first ```ts block of a package README: the example a user copies. */
function readmeExample(folder: string): string {
  const readme = readFileSync(join(root, folder, 'README.md'), 'utf8')
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(readme)
  if (match === null) throw new Error(`${folder}/README.md has no ts example`)
  return match[1]!
}

beforeAll(() => {
  for (const { folder } of PACKAGES) {
    if (!existsSync(join(root, folder, 'dist/index.js'))) throw new Error('build first: npm run build')
  }
  project = mkdtempSync(join(tmpdir(), 'authspec-pack-'))
  const tarballs = join(project, 'tarballs')
  mkdirSync(tarballs)
  for (const { name, folder } of PACKAGES) {
    const [info] = JSON.parse(ok(run('npm', ['pack', '--json', '--pack-destination', tarballs], join(root, folder)), `npm pack ${name}`)) as [
      { filename: string; files: { path: string }[] },
    ]
    packed.set(name, { name, tarball: join(tarballs, info.filename), files: info.files.map((f) => f.path) })
  }
  const dependencies: Record<string, string> = { hono: '^4', express: '^5', '@types/express': '^5', '@types/node': '^20.19' }
  for (const p of packed.values()) dependencies[p.name] = `file:${p.tarball}`
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'authspec-newcomer', private: true, type: 'module', dependencies }, null, 2))
  ok(run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'], project, 240_000), 'npm install')

  mkdirSync(join(project, 'src'))
  writeFileSync(join(project, 'src/core.ts'), readmeExample('packages/core'))
  writeFileSync(join(project, 'src/hono.ts'), `${readmeExample('packages/hono')}\nexport { app }\n`)
  writeFileSync(join(project, 'src/express.ts'), `${readmeExample('packages/express')}\nexport { app }\n`)
  writeFileSync(
    join(project, 'src/testing.ts'),
    `import { createAuth, jwtBearer, type AuthResult } from '@authspec/core'
import { createTestSecret, startTestIssuer, type TestIssuer } from '@authspec/core/testing'

export async function issuerAuth(): Promise<{ issuer: TestIssuer; result: AuthResult }> {
  const issuer: TestIssuer = await startTestIssuer()
  const auth = createAuth({ schemes: { Jwt: jwtBearer({ algorithms: ['RS256'], jwksUri: issuer.jwksUri, issuer: issuer.issuer, audience: 'api' }) } })
  const token: string = await issuer.sign({ aud: 'api', sub: 'ann' })
  const result = await auth.authenticate(new Request('http://localhost/', { headers: { authorization: 'Bearer ' + token } }), [{ Jwt: [] }])
  void createTestSecret
  return { issuer, result }
}
`,
  )
  const common = { strict: true, skipLibCheck: true, esModuleInterop: true, target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: ['node'] }
  const tsconfig = (file: string, compilerOptions: Record<string, unknown>, include = ['src']) =>
    writeFileSync(join(project, file), JSON.stringify({ compilerOptions: { ...common, ...compilerOptions }, include }, null, 2))
  tsconfig('tsconfig.bundler.json', { module: 'preserve', moduleResolution: 'bundler', noEmit: true })
  // nodenext also checks the packages' own .d.ts files (skipLibCheck off), as a strict user's build would.
  tsconfig('tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out', rootDir: 'src', skipLibCheck: false })
  tsconfig('tsconfig.node10.json', { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', noEmit: true }, ['src/testing.ts'])
}, 400_000)

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true })
})

describe.each(PACKAGES)('$name tarball', ({ name }) => {
  it('ships README, LICENSE, CHANGELOG, dist and src, and no test files', () => {
    const files = packed.get(name)!.files
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']))
    expect(files.filter((f) => /\.test(-d)?\.ts$|(^|\/)test\//.test(f))).toEqual([])
  })

  it('has repository, homepage, bugs, license and engines.node >=20.19', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(manifest).toMatchObject({
      license: 'MIT',
      type: 'module',
      engines: { node: '>=20.19' },
      repository: { type: 'git', url: 'git+https://github.com/authspec/authspec.git' },
      bugs: { url: 'https://github.com/authspec/authspec/issues' },
    })
    expect(manifest.homepage).toMatch(/^https:\/\/github\.com\/authspec\/authspec\//)
  })

  it('every source map in it points at sources the tarball ships', () => {
    const { files } = packed.get(name)!
    const maps = files.filter((f) => f.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(0)
    const unresolved: string[] = []
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(project, 'node_modules', name, map), 'utf8')) as { sources: string[] }
      for (const source of sources) {
        const target = normalize(join(dirname(map), source))
        if (!files.includes(target)) unresolved.push(`${map} → ${source}`)
      }
    }
    expect(unresolved).toEqual([])
  })

  it('passes publint --strict', () => {
    const result = run(bin('publint'), ['--strict', packed.get(name)!.tarball], project)
    expect(result.stdout + result.stderr).toContain('All good!')
    expect(result.status).toBe(0)
  }, 60_000)

  it('passes @arethetypeswrong/cli with the esm-only profile (the one CommonJS warning is the README\'s)', () => {
    const result = run(bin('attw'), [packed.get(name)!.tarball, '--profile', 'esm-only', '--format', 'json'], project)
    expect(result.status, result.stdout).toBe(0)
    const { analysis } = JSON.parse(result.stdout) as { analysis: { problems: { kind: string }[] } }
    // Without the profile, the only problem is the ESM-only one that the README explains.
    expect([...new Set(analysis.problems.map((p) => p.kind))]).toEqual(['CJSResolvesToESM'])
  }, 60_000)
})

describe('installed next to hono and express from the registry', () => {
  const tsc = (config: string) => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], project)

  it.each(['tsconfig.bundler.json', 'tsconfig.nodenext.json'])('the README examples typecheck with %s', (config) => {
    const result = tsc(config)
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  }, 120_000)

  it('@authspec/core/testing has types under moduleResolution node10 (typesVersions)', () => {
    const result = tsc('tsconfig.node10.json')
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  }, 120_000)

  it('the compiled README examples answer one request each: core, Hono (app.request), Express (a real socket)', () => {
    // The nodenext typecheck above emitted out/*.js; this script imports them from the project.
    expect(existsSync(join(project, 'out/express.js'))).toBe(true)
    writeFileSync(
      join(project, 'run.mjs'),
      `import { once } from 'node:events'
import { handle, securityDocument } from './out/core.js'
import { app as honoApp } from './out/hono.js'
import { app as expressApp } from './out/express.js'
const key = { 'X-API-Key': 'key-0123456789' }
const out = {}
const core = await handle(new Request('http://localhost/pets', { headers: key }))
out.core = { status: core.status, body: await core.json(), schemes: Object.keys(securityDocument.components.securitySchemes) }
const denied = await handle(new Request('http://localhost/pets'))
out.coreDenied = { status: denied.status, challenge: denied.headers.get('www-authenticate') }
const hono = await honoApp.request('/pets', { headers: key })
out.hono = { status: hono.status, body: await hono.json(), vary: hono.headers.get('vary') }
const honoDenied = await honoApp.request('/pets')
out.honoDenied = { status: honoDenied.status, type: honoDenied.headers.get('content-type') }
const server = expressApp.listen(0, '127.0.0.1')
await once(server, 'listening')
const base = 'http://127.0.0.1:' + server.address().port
try {
  const express = await fetch(base + '/pets', { headers: key, signal: AbortSignal.timeout(5000) })
  out.express = { status: express.status, body: await express.json(), cache: express.headers.get('cache-control') }
  const expressDenied = await fetch(base + '/pets', { signal: AbortSignal.timeout(5000) })
  out.expressDenied = { status: expressDenied.status, challenge: expressDenied.headers.get('www-authenticate') }
  const doc = await (await fetch(base + '/openapi.json', { signal: AbortSignal.timeout(5000) })).json()
  out.expressDoc = doc.paths['/pets'].get.security
} finally {
  server.closeAllConnections()
  server.close()
}
console.log(JSON.stringify(out))
`,
    )
    const result = ok(run(process.execPath, ['run.mjs'], project, 30_000), 'node run.mjs')
    const challenge = 'APIKey realm="api", in="header", name="X-API-Key"'
    expect(JSON.parse(result)).toEqual({
      core: { status: 200, body: { alternative: 1, scopes: [] }, schemes: ['ApiKeyAuth', 'Session'] },
      coreDenied: { status: 401, challenge: expect.stringContaining(challenge) },
      hono: { status: 200, body: { by: 'ci' }, vary: expect.stringMatching(/X-API-Key/i) },
      honoDenied: { status: 401, type: expect.stringContaining('application/problem+json') },
      express: { status: 200, body: { by: 'ci' }, cache: expect.stringContaining('private') },
      expressDenied: { status: 401, challenge },
      expressDoc: [{ ApiKeyAuth: [] }],
    })
  }, 60_000)
})
