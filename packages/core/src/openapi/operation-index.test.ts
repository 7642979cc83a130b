import { describe, expect, it } from 'vitest'
import { OperationIndex } from './operation-index.js'

describe('OperationIndex', () => {
  const index = new OperationIndex(true)
  index.addServer('https://api.example.com/{version}')
  index.add('get', '/users/{id}', [{ A: [] }])
  index.add('get', '/health', [])
  index.add('get', '/files/{name}.json', [{ B: [] }])
  index.add('get', '/cards/{id}', [{ A: [] }])
  index.add('get', '/cards/{filter}', [{ B: [] }])

  it('binds a route pattern by shape: parameter names and a trailing slash do not matter', () => {
    expect(index.bind('GET', '/users/{userId}')).toMatchObject({ kind: 'operation', operation: { template: '/users/{id}', requirement: [{ A: [] }] } })
    expect(index.bind('get', '/health/')).toMatchObject({ kind: 'operation', operation: { template: '/health' } })
    expect(index.bind('GET', '/files/{f}.json')).toMatchObject({ kind: 'operation', operation: { requirement: [{ B: [] }] } })
    expect(index.bind('HEAD', '/health')).toMatchObject({ kind: 'operation', operation: { method: 'GET' } })
  })

  it('a pattern that matches as given is never read with a base path stripped; else bases are tried', () => {
    // A literal route `/users/health` is not `/users/{id}`: with base {version} = `users` it is /health.
    expect(index.bind('GET', '/users/health')).toMatchObject({ kind: 'operation', operation: { template: '/health' } })
    // The route `/users/:id` (what a router runs for the URL /users/health) matches as given.
    expect(index.bind('GET', '/users/{id}')).toMatchObject({ kind: 'operation', operation: { template: '/users/{id}' } })
    expect(index.bind('GET', '/v2/users/{id}')).toMatchObject({ kind: 'operation', operation: { template: '/users/{id}' } })
    expect(index.bind('GET', '/{v}/health')).toMatchObject({ kind: 'operation', operation: { template: '/health' } })
  })

  it('same-shape templates are ANDed when merging; a known path with another method lists its methods', () => {
    expect(index.bind('GET', '/cards/{x}')).toMatchObject({ kind: 'operation', operation: { requirement: [{ A: [], B: [] }] } })
    expect(index.bind('DELETE', '/users/{id}')).toEqual({ kind: 'method', template: '/users/{id}', allow: ['GET', 'HEAD'] })
    expect(index.bind('GET', '/nowhere')).toEqual({ kind: 'none' })
    expect(index.operations.map((o) => `${o.method} ${o.template}`)).toContain('GET /cards/{filter}')
  })
})
