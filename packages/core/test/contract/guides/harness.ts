/**
 * What a guide's companion module (`guides/<guide-file-name>.ts`, next to this file) exports
 * for `guide-snippets.test.ts`: one entry per ```ts block of the guide, and the behaviour tests
 * that run those blocks and check what the guide says they do. Also the machinery that
 * `guide-snippets.test.ts` and `readme-snippets.test.ts` share: finding ```ts blocks, making a
 * module of each, writing them where bare imports resolve, and typechecking them strictly.
 */
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

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

/**
 * The module text of one block: its imports, the prelude, the (wrapped) body, the epilogue.
 * `parameters` are those of the `__snippet` function a `wrap` makes (`request: Request`).
 */
export function moduleOf(code: string, harness: BlockHarness, parameters = ''): string {
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
  if (harness.wrap !== undefined) text = `export async function __snippet(${parameters}) {\n${text}\n${harness.wrap}\n}`
  return [...imports, harness.prelude ?? '', text, harness.epilogue ?? '', 'export {}', ''].join('\n')
}

/**
 * A scratch directory for block modules, `contract/.cache/<name>-<pid>/`: inside the repository
 * so bare imports resolve through node_modules (`.cache/` is git-ignored).
 */
export function scratchDir(name: string): string {
  const dir = fileURLToPath(new URL(`../.cache/${name}-${process.pid}/`, import.meta.url))
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Write one block module into `dir`; returns its path. */
export function writeModule(dir: string, file: string, text: string): string {
  const path = join(dir, file)
  writeFileSync(path, text)
  return path
}

/** Remove a scratch directory, and `.cache/` itself unless another run still uses it. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  try {
    rmdirSync(join(dir, '..'))
  } catch {
    // not empty: another run's files
  }
}

/**
 * Typecheck block modules (strict, against the built packages, as a reader's project would),
 * keyed by what a problem should name. Returns one line per diagnostic not in `tolerated(key)`.
 */
export function typecheck(files: ReadonlyMap<string, string>, tolerated: (key: string) => readonly number[]): string[] {
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
  for (const [key, file] of files) {
    const source = program.getSourceFile(file)
    const skip = tolerated(key)
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      if (skip.includes(d.code)) continue
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0
      problems.push(`${key} (line ${line}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    }
  }
  return problems
}
