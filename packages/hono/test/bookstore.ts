import { fromOpenAPI } from '@authspec/core'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

/** The guide's bookstore document (docs/guides/bookstore.yaml) with test verifiers. */
export const BOOKSTORE = parse(readFileSync(new URL('../../../docs/guides/bookstore.yaml', import.meta.url), 'utf8')) as Record<string, unknown>

export const KEY = { 'x-api-key': 'key-0123456789' }
export const BASIC = { authorization: `Basic ${btoa('admin:admin-password')}` }
export const WRITER = { authorization: 'Bearer writer-token' }
export const READER = { authorization: 'Bearer reader-token' }

const tokens: Record<string, { sub: string; scopes: string[] }> = {
  'writer-token': { sub: 'w', scopes: ['books:read', 'books:write'] },
  'reader-token': { sub: 'r', scopes: ['books:read'] },
}

export function bookstoreAuth(document: unknown = BOOKSTORE) {
  return fromOpenAPI(document, {
    verifiers: {
      ApiKeyAuth: { keys: { ci: 'key-0123456789' } },
      BasicAuth: { users: { admin: 'admin-password' } },
      OAuth2: { verify: (token: string) => tokens[token] ?? null, scopes: (p: { scopes: string[] }) => p.scopes },
    },
  })
}

/** The case table both adapters pass: path, method, credentials, expected status. */
export const CASES: ReadonlyArray<readonly [string, string, string, Record<string, string>, number]> = [
  ['public', 'GET', '/health', {}, 200],
  ['document default, missing', 'GET', '/books', {}, 401],
  ['document default, key', 'GET', '/books', KEY, 200],
  ['document default, wrong scheme', 'GET', '/books', BASIC, 401],
  ['override, key is not enough', 'POST', '/books', KEY, 401],
  ['override, token with the scope', 'POST', '/books', WRITER, 201],
  ['scopes: token without books:write', 'POST', '/books', READER, 403],
  ['OR, first alternative', 'GET', '/books/7', KEY, 200],
  ['OR, second alternative', 'GET', '/books/7', BASIC, 200],
  ['OR, missing', 'GET', '/books/7', {}, 401],
  ['AND, key alone', 'DELETE', '/books/7', KEY, 401],
  ['AND, basic alone', 'DELETE', '/books/7', BASIC, 401],
  ['AND, both', 'DELETE', '/books/7', { ...KEY, ...BASIC }, 204],
]

/** Raw request targets (over a socket) that must never reach a protected handler without credentials. */
export const RAW_TARGETS = ['/BOOKS', '/books/', '//books', '/books//7', '/%62ooks', '/books;x=1', '/books\\7#x', 'http://host/books/7', '/health/../books', '/%62ooks/7', '/Books/7', '/books/7/', '/books%2F7']

/**
 * The ```ts block under a heading of docs/guides/spec-first-yaml.md, written to a file beside the
 * calling test (`.cache/`, git-ignored) so that its imports resolve; returns the module's URL.
 */
export function guideSnippet(heading: string, dir: URL): string {
  const guide = readFileSync(new URL('../../../docs/guides/spec-first-yaml.md', import.meta.url), 'utf8')
  const section = guide.split(/^## /m).find((part) => part.startsWith(heading))
  const code = section === undefined ? undefined : /```ts\n([\s\S]*?)\n```/.exec(section)?.[1]
  if (code === undefined) throw new Error(`no ts block under "${heading}"`)
  mkdirSync(dir, { recursive: true })
  const file = new URL(`guide-${heading.replace(/\W+/g, '-')}-${process.pid}.ts`, dir)
  writeFileSync(file, code)
  return file.href
}
