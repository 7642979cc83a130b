/**
 * What a guide's companion module (`guides/<guide-file-name>.ts`, next to this file) exports
 * for `guide-snippets.test.ts`: one entry per ```ts block of the guide, and the behaviour tests
 * that run those blocks and check what the guide says they do.
 */

/** How one ```ts block becomes a module that typechecks and runs. */
export interface BlockHarness {
  /** Code placed after the block's imports and before its body: the stubs the reader supplies. */
  prelude?: string
  /** Wrap the body in `export async function __snippet()` and end it with this code (top-level `return`). */
  wrap?: string
  /** Code after the body: exports for the behaviour tests. */
  epilogue?: string
  /** Diagnostic codes tolerated (e.g. a block written as untyped JS). */
  tolerate?: number[]
}

/** Loads the module made of one block, by its key (`heading`, or `heading #2` for a second block under it). */
export type Load = <T>(key: string) => Promise<T>

/** The path of the module file made of one block (to bundle it for another runtime). */
export type FileOf = (key: string) => string

/** A guide's companion module. */
export interface GuideHarness {
  /** One entry per ```ts block, by key. A block without an entry, or an entry without a block, fails the test. */
  readonly blocks: Readonly<Record<string, BlockHarness>>
  /** Register the behaviour tests (vitest `it`) of the guide; `load` imports a block's module. */
  behaviour(load: Load, fileOf: FileOf): void
}

/** The ```ts blocks of a Markdown text, keyed by the heading they sit under. */
export function tsBlocks(markdown: string): { key: string; code: string }[] {
  const out: { key: string; code: string }[] = []
  const seen = new Map<string, number>()
  let heading = ''
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '')
    if (line.trim() !== '```ts') continue
    const body: string[] = []
    while (i + 1 < lines.length && lines[++i]!.trim() !== '```') body.push(lines[i]!)
    const count = (seen.get(heading) ?? 0) + 1
    seen.set(heading, count)
    out.push({ key: count === 1 ? heading : `${heading} #${count}`, code: body.join('\n') })
  }
  return out
}

/** The module text of one block: its imports, the prelude, the (wrapped) body, the epilogue. */
export function moduleOf(code: string, harness: BlockHarness): string {
  const lines = code.split('\n')
  // Imports may span lines: `import {\n a,\n b,\n} from 'x'`.
  const imports: string[] = []
  const body: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('import ')) {
      body.push(lines[i]!)
      continue
    }
    let statement = lines[i]!
    while (!/from\s+['"][^'"]+['"]\s*;?\s*$|^import\s+['"][^'"]+['"]\s*;?\s*$/.test(statement) && i + 1 < lines.length) statement += `\n${lines[++i]!}`
    imports.push(statement)
  }
  let text = body.join('\n')
  if (harness.wrap !== undefined) text = `export async function __snippet() {\n${text}\n${harness.wrap}\n}`
  return [...imports, harness.prelude ?? '', text, harness.epilogue ?? '', 'export {}', ''].join('\n')
}
