/**
 * Every ```ts block of every guide in `docs/guides/*.md`, checked as a reader would paste it:
 * each typechecks strictly against the built packages (`npm run build` first) with only the
 * stubs its guide's companion module gives, and runs, with the behaviour the guide claims
 * asserted by that companion (`guides/<guide-file-name>.ts`, see `guides/harness.ts`). A guide
 * without a companion, or a block without an entry, fails here: nothing is skipped silently.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moduleOf, removeScratch, scratchDir, tsBlocks, typecheck, writeModule, type GuideHarness } from './guides/harness.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const GUIDES = join(ROOT, 'docs/guides')
let dir: string

interface Guide {
  name: string
  blocks: { key: string; code: string }[]
  harness: GuideHarness | undefined
}

const guides: Guide[] = []
for (const file of readdirSync(GUIDES).filter((f) => f.endsWith('.md')).sort()) {
  const name = basename(file, '.md')
  const companion = fileURLToPath(new URL(`./guides/${name}.ts`, import.meta.url))
  const harness = existsSync(companion) ? ((await import(pathToFileURL(companion).href)) as { harness: GuideHarness }).harness : undefined
  guides.push({ name, blocks: tsBlocks(readFileSync(join(GUIDES, file), 'utf8')), harness })
}

/** Module file of each block, by `guide/key`. */
const files = new Map<string, string>()

beforeAll(() => {
  dir = scratchDir('guides')
  for (const guide of guides) {
    guide.blocks.forEach((block, i) => {
      const entry = guide.harness?.blocks[block.key]
      if (entry === undefined) return
      files.set(`${guide.name} / ${block.key}`, writeModule(dir, `${guide.name}-${i + 1}.ts`, moduleOf(block.code, entry)))
    })
  }
})
afterAll(() => removeScratch(dir))

describe('guides', () => {
  it('there are guides, and each has a companion harness with one entry per ts block (and no stale entry)', () => {
    expect(guides.length).toBeGreaterThan(0)
    const problems: string[] = []
    for (const guide of guides) {
      if (guide.harness === undefined) {
        problems.push(`docs/guides/${guide.name}.md has no harness: add packages/core/test/contract/guides/${guide.name}.ts`)
        continue
      }
      const keys = guide.blocks.map((b) => b.key)
      for (const key of keys) if (guide.harness.blocks[key] === undefined) problems.push(`${guide.name}: the ts block under "${key}" has no harness entry`)
      for (const key of Object.keys(guide.harness.blocks)) if (!keys.includes(key)) problems.push(`${guide.name}: harness entry "${key}" matches no ts block`)
    }
    expect(problems).toEqual([])
  })

  it('every ts block of every guide typechecks (strict) against the built packages', () => {
    const harnessOf = new Map<string, { tolerate?: number[] } | undefined>(guides.flatMap((guide) => guide.blocks.map((block) => [`${guide.name} / ${block.key}`, guide.harness?.blocks[block.key]])))
    // A block without a harness entry has no file: reported by the harness test.
    const problems = typecheck(files, (key) => harnessOf.get(key)?.tolerate ?? [])
    expect(problems).toEqual([])
  }, 120_000)
})

for (const guide of guides) {
  if (guide.harness === undefined) continue
  describe(`guide ${guide.name}: the snippets behave as the guide says`, () => {
    const fileOf = (key: string): string => {
      const file = files.get(`${guide.name} / ${key}`)
      if (file === undefined) throw new Error(`${guide.name}: no ts block under "${key}"`)
      return file
    }
    guide.harness!.behaviour(async <T>(key: string): Promise<T> => (await import(pathToFileURL(fileOf(key)).href)) as T, fileOf)
  })
}
