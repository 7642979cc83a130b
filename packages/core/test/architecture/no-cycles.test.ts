/**
 * The source of every package is acyclic, at two levels (docs/architecture.md draws the layers):
 *
 * - files: no relative import cycle between the .ts files under packages/<name>/src;
 * - folders: within one package, no cycle between its folders (a folder is a file's directory
 *   relative to the package's src). The files at the root of src are the package's entry point
 *   and its shared base modules (types.ts, errors.ts, …), so each of them counts as its own unit
 *   rather than all of them as one folder.
 *
 * Every relative import counts: `import`, `import type`, `export … from`, `import()` and
 * `import('…')` types. Test files (*.test.ts, *.test-d.ts) are left out.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { packageSources, packagesDir, sourcesIn } from './source-files.js'

const repoDir = resolve(packagesDir, '..')

interface SourceFile {
  /** Absolute path. */
  readonly path: string
  /** The package directory's name (`core`, `hono`, …). */
  readonly pkg: string
  /** Folder-level unit: the directory relative to src, or the file itself at the root of src. */
  readonly unit: string
}

type Graph = Map<string, Set<string>>

function collectSources(): SourceFile[] {
  const files: SourceFile[] = []
  for (const [pkg, src] of packageSources()) {
    for (const path of sourcesIn(src)) {
      const dir = relative(src, dirname(path)).split(sep).join('/')
      const unit = dir === '' ? relative(src, path) : `${dir}/`
      files.push({ path, pkg, unit })
    }
  }
  return files
}

/** Every module specifier the file names, with the TypeScript parser (multi-line imports included). */
function specifiers(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression
      if (ts.isStringLiteral(expr)) found.push(expr.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** `./x.js` → x.ts or x/index.ts; `undefined` when neither exists. */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec)
  const stem = base.replace(/\.(js|ts|mjs|mts)$/, '')
  for (const candidate of [`${stem}.ts`, `${stem}.mts`, join(base, 'index.ts'), join(stem, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return undefined
}

/** Tarjan's strongly connected components, iteratively (no recursion limit on deep graphs). */
function stronglyConnected(graph: Graph): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue
    const work: { node: string; edges: string[]; at: number }[] = []
    const enter = (node: string): void => {
      index.set(node, next)
      low.set(node, next)
      next++
      stack.push(node)
      onStack.add(node)
      work.push({ node, edges: [...(graph.get(node) ?? [])].sort(), at: 0 })
    }
    enter(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++]!
        if (!index.has(to)) enter(to)
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!))
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        components.push(component.sort())
      }
    }
  }
  return components
}

/** Components that are cycles: more than one node, or one node importing itself. */
function cycles(graph: Graph): string[][] {
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0]!)?.has(c[0]!))
}

/** The shortest cycle from `start` back to it within the component (breadth-first search). */
function cycleThrough(graph: Graph, component: readonly string[], start: string): string[] {
  const members = new Set(component)
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const node = queue.shift()!
    for (const to of [...(graph.get(node) ?? [])].sort()) {
      if (!members.has(to)) continue
      if (to === start) {
        const path = [node]
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!)
        return [...path, start]
      }
      if (!previous.has(to)) {
        previous.set(to, node)
        queue.push(to)
      }
    }
  }
  return [start]
}

/** The shortest cycle through each member of a component, each cycle once. */
function cyclesIn(graph: Graph, component: readonly string[]): string[][] {
  const seen = new Set<string>()
  const found: string[][] = []
  for (const start of component) {
    const path = cycleThrough(graph, component, start)
    const ring = path.slice(0, -1)
    const first = ring.indexOf([...ring].sort()[0]!)
    const key = [...ring.slice(first), ...ring.slice(0, first)].join('\0')
    if (seen.has(key)) continue
    seen.add(key)
    found.push(path)
  }
  return found
}

function addEdge(graph: Graph, from: string, to: string): void {
  if (!graph.has(from)) graph.set(from, new Set())
  graph.get(from)!.add(to)
}

const files = collectSources()
const byPath = new Map(files.map((file) => [file.path, file]))
const rel = (path: string) => relative(repoDir, path).split(sep).join('/')

const fileGraph: Graph = new Map()
/** Per package: folder unit → folder unit, with the file imports behind each edge. */
const folderGraphs = new Map<string, Graph>()
const folderWitness = new Map<string, string[]>()
const unresolved: string[] = []

for (const file of files) {
  fileGraph.set(rel(file.path), fileGraph.get(rel(file.path)) ?? new Set())
  if (!folderGraphs.has(file.pkg)) folderGraphs.set(file.pkg, new Map())
  const folders = folderGraphs.get(file.pkg)!
  if (!folders.has(file.unit)) folders.set(file.unit, new Set())
  for (const spec of specifiers(file.path)) {
    if (!spec.startsWith('.')) continue
    const target = resolveRelative(file.path, spec)
    if (target === undefined) {
      unresolved.push(`${rel(file.path)}: '${spec}'`)
      continue
    }
    addEdge(fileGraph, rel(file.path), rel(target))
    const to = byPath.get(target)
    if (to === undefined || to.pkg !== file.pkg || to.unit === file.unit) continue
    addEdge(folders, file.unit, to.unit)
    const key = `${file.pkg}:${file.unit}→${to.unit}`
    folderWitness.set(key, [...(folderWitness.get(key) ?? []), `${rel(file.path)} → ${rel(target)}`])
  }
}

function describeFileCycle(component: readonly string[]): string {
  const paths = cyclesIn(fileGraph, component).map((path) => `  ${path.join(' → ')}`)
  return [`file cycle among ${component.length} files:`, ...paths].join('\n')
}

function describeFolderCycle(pkg: string, graph: Graph, component: readonly string[]): string {
  const lines = [`folder cycle in packages/${pkg}/src among ${component.join(', ')}:`]
  for (const path of cyclesIn(graph, component)) {
    lines.push(`  ${path.join(' → ')}`)
    for (let i = 0; i + 1 < path.length; i++) {
      const witness = folderWitness.get(`${pkg}:${path[i]}→${path[i + 1]}`) ?? []
      const shown = witness.slice(0, 3).join('; ')
      lines.push(`    ${path[i]} → ${path[i + 1]}: ${shown}${witness.length > 3 ? `; … (${witness.length} imports)` : ''}`)
    }
  }
  return lines.join('\n')
}

describe('architecture: no import cycles', () => {
  it('reads the sources of every package', () => {
    expect(files.some((file) => file.path.endsWith(join('core', 'src', 'index.ts')))).toBe(true)
    expect(new Set(files.map((file) => file.pkg)).size).toBeGreaterThan(1)
  })

  it('resolves every relative import to a source file', () => {
    expect(unresolved).toEqual([])
  })

  it('has no file-level import cycle', () => {
    const found = cycles(fileGraph).map(describeFileCycle)
    expect(found, `\n${found.join('\n\n')}\n`).toEqual([])
  })

  it('has no folder-level cycle within a package', () => {
    const found: string[] = []
    for (const [pkg, graph] of folderGraphs) {
      for (const component of cycles(graph)) found.push(describeFolderCycle(pkg, graph, component))
    }
    expect(found, `\n${found.join('\n\n')}\n`).toEqual([])
  })
})
