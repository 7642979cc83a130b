import { describe, expect, it } from 'vitest'
import { PathMatcher, pathSegments } from './paths.js'

describe('pathSegments', () => {
  it('drops scheme and host, query, fragment and a trailing slash', () => {
    expect(pathSegments('https://api.example.com/v1/pets/?x=1#top')).toEqual(['v1', 'pets'])
    expect(pathSegments('//cdn.example.com/a')).toEqual(['a'])
    expect(pathSegments('/federation/credentials#role_name&account_id')).toEqual(['federation', 'credentials'])
    expect(pathSegments('/')).toEqual([])
    expect(pathSegments('https://api.example.com')).toEqual([])
  })
})

describe('PathMatcher', () => {
  const matcher = new PathMatcher<string>()
  matcher.add('get', '/a/{x}/c', 'param-param')
  matcher.add('get', '/a/b/{y}', 'literal-param')
  matcher.add('get', '/a/{x}.json', 'partial')
  matcher.add('get', '/a/{x}', 'param')
  matcher.add('get', '/a/{x}.{ext}', 'partial-2')
  matcher.add('post', '/a/b/c', 'post-only')

  it('a literal segment beats a partial template, which beats a whole-segment parameter, segment by segment', () => {
    expect(matcher.lookup('GET', '/a/b/c')).toBe('literal-param')
    expect(matcher.lookup('GET', '/a/z/c')).toBe('param-param')
    expect(matcher.lookup('GET', '/a/report.json')).toBe('partial')
    expect(matcher.lookup('GET', '/a/report.csv')).toBe('partial-2')
    expect(matcher.lookup('GET', '/a/report')).toBe('param')
  })

  it('dot segments (also percent-encoded) never match: servers resolve them differently', () => {
    expect(matcher.lookup('GET', '/a/b/../c')).toBeUndefined()
    expect(matcher.lookup('GET', '/a/%2e%2e/c')).toBeUndefined()
    expect(matcher.lookup('GET', '/a/./c')).toBeUndefined()
  })

  it('a parameter never spans a slash and never matches an empty segment', () => {
    expect(matcher.lookup('GET', '/a/b/c/d')).toBeUndefined()
    expect(matcher.lookup('GET', '/a//c')).toBeUndefined()
  })

  it('when the best path lacks the method, a less specific one that has it is used; else undefined', () => {
    expect(matcher.lookup('post', '/a/b/c')).toBe('post-only')
    expect(matcher.lookup('delete', '/a/b/c')).toBeUndefined()
  })

  it('reports a same-shape template and merges values when asked', () => {
    const m = new PathMatcher<string[]>()
    expect(m.add('get', '/cards/{id}', ['a'])).toBeUndefined()
    expect(m.add('get', '/cards/{filter}', ['b'], (x, y) => [...x, ...y])).toBe('/cards/{id}')
    expect(m.lookup('get', '/cards/1')).toEqual(['a', 'b'])
    // The template spelled literally is a path like any other: it gets the merged value too.
    expect(m.lookup('get', '/cards/{filter}')).toEqual(['a', 'b'])
  })

  it('server base paths are optional prefixes; variables match one segment', () => {
    const m = new PathMatcher<string>()
    m.addServer('https://{host}.example.com/{version}/api/')
    m.add('get', '/pets', 'pets')
    expect(m.lookup('get', '/v3/api/pets')).toBe('pets')
    expect(m.lookup('get', '/pets')).toBe('pets')
    expect(m.lookup('get', '/v3/pets')).toBeUndefined()
  })
})
