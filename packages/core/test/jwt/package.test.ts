import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Core from '../../src/index.js'
import type * as Testing from '../../src/testing/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const core = resolve(here, '../..')
const src = join(core, 'src')

/** Relative imports of a source file, resolved to .ts paths. */
function imports(file: string): { relative: string[]; bare: string[] } {
  const text = readFileSync(file, 'utf8')
  const relative: string[] = []
  const bare: string[] = []
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
    const spec = match[1]!
    if (spec.startsWith('.')) relative.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
    else bare.push(spec)
  }
  return { relative, bare }
}

describe('@authspec/core packaging', () => {
  it('the main entry never reaches node:* modules or Node globals (only src/testing may)', () => {
    const seen = new Set<string>()
    const queue = [join(src, 'index.ts')]
    const offenders: string[] = []
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      const { relative, bare } = imports(file)
      for (const spec of bare) if (spec.startsWith('node:') || !['jose', 'openapi-types'].includes(spec)) offenders.push(`${file}: ${spec}`)
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '')
      if (/\b(Buffer|process)\./.test(code)) offenders.push(`${file}: Node global`)
      queue.push(...relative)
    }
    expect([...seen].some((file) => file.endsWith('jwt-bearer.ts'))).toBe(true)
    expect([...seen].some((file) => file.includes('/testing/'))).toBe(false)
    expect(offenders).toEqual([])
  })

  it('the built package resolves @authspec/core/testing, and the built main entry imports no node:* module', async () => {
    // Through the package's own exports map (node_modules/@authspec/core → dist), typed from the source.
    const names = { main: '@authspec/core', testing: '@authspec/core/testing' }
    const testing = (await import(names.testing)) as typeof Testing
    const main = (await import(names.main)) as typeof Core
    const issuer = await testing.startTestIssuer({ alg: 'ES256' })
    try {
      const auth = main.createAuth({ schemes: { Jwt: main.jwtBearer({ algorithms: ['ES256'], jwksUri: issuer.jwksUri, issuer: issuer.issuer, audience: 'api' }) } })
      const result = await auth.authenticate(new Request('http://x/', { headers: { authorization: `Bearer ${await issuer.sign({ aud: 'api' })}` } }), [{ Jwt: [] }])
      expect(result.ok).toBe(true)
    } finally {
      await issuer.close()
    }
    const dist = join(core, 'dist')
    const seen = new Set<string>()
    const queue = [join(dist, 'index.js')]
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      expect(text, file).not.toMatch(/from\s+['"]node:/)
      for (const match of text.matchAll(/from\s+'(\.[^']+)'/g)) queue.push(resolve(dirname(file), match[1]!))
    }
    expect(seen.size).toBeGreaterThan(10)
  })

  it('package.json exports ./testing with types first', () => {
    const pkg = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> }
    expect(Object.keys(pkg.exports['./testing']!)).toEqual(['types', 'default'])
    expect(pkg.exports['./testing']).toEqual({ types: './dist/testing/index.d.ts', default: './dist/testing/index.js' })
  })
})

describe('README JWT section examples run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authspec-readme-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const readme = readFileSync(resolve(core, '../../README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('<!-- section:jwt -->'), readme.indexOf('<!-- /section:jwt -->'))
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)

  it('the section has its examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3)
  })

  blocks.forEach((block, i) => {
    it(`example ${i + 1} runs against the source`, async () => {
      const code = block
        .replaceAll("'@authspec/core/testing'", `'${pathToFileURL(join(src, 'testing/index.ts')).href}'`)
        .replaceAll("'@authspec/core'", `'${pathToFileURL(join(src, 'index.ts')).href}'`)
      const file = join(dir, `example-${i + 1}.ts`)
      writeFileSync(file, code)
      await expect(import(pathToFileURL(file).href)).resolves.toBeDefined()
    })
  })
})
