/**
 * Runs every TypeScript snippet of the README's OpenAPI section and checks each
 * `console.log(x) // → output` line: the README's examples are real, working code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const README = fileURLToPath(new URL('../../../README.md', import.meta.url))
const CORE = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const text = readFileSync(README, 'utf8')
const start = text.indexOf('<!-- section:openapi -->')
const end = text.indexOf('<!-- /section:openapi -->')
if (start === -1 || end === -1) throw new Error('README has no section:openapi')
const snippets = [...text.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
const dir = mkdtempSync(join(tmpdir(), 'authspec-readme-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

declare global {
  var __readmeLog: ((value: unknown) => void) | undefined
}

describe('README section:openapi', () => {
  it('has the code-first and the spec-first snippets', () => {
    expect(snippets.length).toBe(2)
  })

  snippets.forEach((snippet, index) => {
    it(`snippet ${index + 1} runs and prints what the README says`, async () => {
      const expected = snippet
        .split('\n')
        .filter((line) => line.includes('console.log(') && line.includes('// → '))
        .map((line) => line.slice(line.indexOf('// → ') + 5).trim())
      expect(expected.length).toBeGreaterThan(0)
      const printed: string[] = []
      globalThis.__readmeLog = (value) => printed.push(typeof value === 'string' ? value : JSON.stringify(value))
      const source = snippet
        .replaceAll("from '@authspec/core'", `from ${JSON.stringify(CORE)}`)
        .replaceAll('console.log(', 'globalThis.__readmeLog!(')
      const file = join(dir, `snippet-${index + 1}.ts`)
      writeFileSync(file, `${source}\nexport {}\n`)
      try {
        await import(pathToFileURL(file).href)
      } finally {
        globalThis.__readmeLog = undefined
      }
      expect(printed).toEqual(expected)
    })
  })
})
