/**
 * Every ```ts block of every guide in `docs/guides/*.md`, checked as a reader would paste it:
 * each typechecks strictly against the built packages (`npm run build` first) with only the
 * stubs its guide's companion module gives, and runs, with the behaviour the guide claims
 * asserted by that companion (`guides/<guide-file-name>.ts`, see `guides/harness.ts`). A guide
 * without a companion, or a block without an entry, fails here: nothing is skipped silently.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moduleOf, tsBlocks, type GuideHarness } from './guides/harness.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const GUIDES = join(ROOT, 'docs/guides')
// Inside the repository (so bare imports resolve through node_modules); `.cache/` is git-ignored.
const dir = fileURLToPath(new URL(`./.cache/guides-${process.pid}/`, import.meta.url))

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
  mkdirSync(dir, { recursive: true })
  for (const guide of guides) {
    guide.blocks.forEach((block, i) => {
      const entry = guide.harness?.blocks[block.key]
      if (entry === undefined) return
      const file = join(dir, `${guide.name}-${i + 1}.ts`)
      writeFileSync(file, moduleOf(block.code, entry))
      files.set(`${guide.name}/${block.key}`, file)
    })
  }
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  try {
    rmdirSync(join(dir, '..')) // `.cache/` itself, unless another run still uses it
  } catch {
    // not empty: another run's files
  }
})

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
    const program = ts.createProgram([...files.values()], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    })
    const problems: string[] = []
    for (const guide of guides) {
      for (const block of guide.blocks) {
        const file = files.get(`${guide.name}/${block.key}`)
        if (file === undefined) continue // reported by the harness test
        const tolerated = guide.harness!.blocks[block.key]!.tolerate ?? []
        const source = program.getSourceFile(file)
        for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
          if (tolerated.includes(d.code)) continue
          const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0
          problems.push(`${guide.name} / ${block.key} (line ${line}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
        }
      }
    }
    expect(problems).toEqual([])
  }, 120_000)
})

for (const guide of guides) {
  if (guide.harness === undefined) continue
  describe(`guide ${guide.name}: the snippets behave as the guide says`, () => {
    const fileOf = (key: string): string => {
      const file = files.get(`${guide.name}/${key}`)
      if (file === undefined) throw new Error(`${guide.name}: no ts block under "${key}"`)
      return file
    }
    guide.harness!.behaviour(async <T>(key: string): Promise<T> => (await import(pathToFileURL(fileOf(key)).href)) as T, fileOf)
  })
}
