/**
 * No function in the source of any package is longer than {@link maxLines} lines (issue #20):
 * a long factory is split into named steps (resolve options → judge → call → cache) instead.
 *
 * Measured, from the line of its start to the line of its end: every function declaration,
 * method (also constructors and accessors), and function or arrow expression assigned to a
 * variable (`const f = () => …`, `const f = function () {…}`). Test files (*.test.ts,
 * *.test-d.ts) and declaration files are left out.
 */
import { readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { packageSources, packagesDir, sourcesIn } from './source-files.js'

const repoDir = resolve(packagesDir, '..')

/** The longest a function may be, in lines, its first and last line included. */
const maxLines = 60

function collectSources(): string[] {
  return packageSources().flatMap(([, src]) => sourcesIn(src))
}

interface Measured {
  readonly name: string
  readonly lines: number
}

/** The name of a measured function, or `undefined` when the node is not one that is measured. */
function measuredName(node: ts.Node, file: ts.SourceFile): string | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name?.text ?? 'default function'
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return node.name.getText(file)
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && node.parent.initializer === node) {
    return node.parent.name.getText(file)
  }
  return undefined
}

/** Every measured function of a file with its length in lines. */
function measure(path: string): Measured[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: Measured[] = []
  const visit = (node: ts.Node): void => {
    const name = measuredName(node, file)
    if (name !== undefined) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line
      found.push({ name, lines: end - start + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

describe('function length', () => {
  const sources = collectSources()

  it('finds the sources and measures their functions', () => {
    expect(sources.length).toBeGreaterThan(50)
    const sample = measure(join(packagesDir, 'core/src/internal/check-options.ts'))
    expect(sample.map((m) => m.name)).toEqual(expect.arrayContaining(['distance', 'nearest', 'optionNames', 'unknownOptions', 'checkOptions']))
  })

  it(`has no function over ${maxLines} lines`, () => {
    const tooLong: string[] = []
    for (const path of sources) {
      const where = relative(repoDir, path).split(sep).join('/')
      for (const { name, lines } of measure(path)) if (lines > maxLines) tooLong.push(`${lines} ${where} ${name}`)
    }
    expect(tooLong).toEqual([])
  })
})
