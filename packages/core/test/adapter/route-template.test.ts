import { describe, expect, it } from 'vitest'
import { guardsOnEverySample, routeTemplate, samplePaths } from '../../src/adapter/index.js'

describe('routeTemplate: one conversion for both the document and the binding', () => {
  it('braces (Hono): whole-segment parameters, their patterns dropped; /a/ and /a differ', () => {
    expect(routeTemplate('/pets/:id{[0-9]+}/photos/:photo', 'braces')).toEqual({ template: '/pets/{id}/photos/{photo}', parameters: ['id', 'photo'] })
    expect(routeTemplate('/r/', 'braces')).toEqual({ template: '/r/', parameters: [] })
    expect(routeTemplate('/files/a:b', 'braces')).toEqual({ template: '/files/a:b', parameters: [] })
  })

  it('parentheses (Express): parameters inside a segment, Express 4 patterns dropped, a trailing slash dropped', () => {
    expect(routeTemplate('/files/:name.json', 'parentheses')).toEqual({ template: '/files/{name}.json', parameters: ['name'] })
    expect(routeTemplate('/pets/:id(\\d+)/', 'parentheses')).toEqual({ template: '/pets/{id}', parameters: ['id'] })
    expect(routeTemplate('/', 'parentheses')).toEqual({ template: '/', parameters: [] })
  })

  it('undefined for what a template cannot say: wildcards, optional parameters and groups', () => {
    for (const path of ['/files/*', '/pets/:id?', '/r/*splat']) {
      expect(routeTemplate(path, 'braces')).toBeUndefined()
      expect(routeTemplate(path, 'parentheses')).toBeUndefined()
    }
    expect(routeTemplate('/pets{/:id}', 'parentheses')).toBeUndefined()
    expect(routeTemplate('/a+b', 'parentheses')).toBeUndefined()
  })
})

describe('guardsOnEverySample', () => {
  it('samples each parameter with the same candidate value', () => {
    expect(samplePaths('/s/:a/:b', 'parentheses')).toEqual(['/s/x1/x1', '/s/1/1', '/s/ABC/ABC'])
    expect(samplePaths('/r/:rest{.+}', 'braces')).toContain('/r/a/b')
    expect(samplePaths('', 'parentheses')).toEqual(['/'])
  })

  it('keeps the guards every sample the route answers runs through; shadowed only when no sample is its own', () => {
    const runs: Record<string, readonly string[] | 'shadowed' | undefined> = { '/r/x1': ['A', 'B'], '/r/1': ['B'], '/r/ABC': undefined }
    expect(guardsOnEverySample('/r/:id', 'parentheses', (path) => runs[path])).toEqual(['B'])
    expect(guardsOnEverySample('/r/:id', 'parentheses', () => 'shadowed')).toBe('shadowed')
    expect(guardsOnEverySample('/r/:id', 'parentheses', (path) => (path === '/r/1' ? ['A'] : 'shadowed'))).toEqual(['A'])
    expect(guardsOnEverySample('/r/:id', 'parentheses', () => undefined)).toBeUndefined()
  })
})
