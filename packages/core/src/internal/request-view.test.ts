import { describe, expect, it } from 'vitest'
import { RequestView } from './request-view.js'
import { lightRequest } from '../../test/support/requests.js'

describe('RequestView', () => {
  it('reads the query of an absolute URL, without the fragment', () => {
    const view = new RequestView(new Request('http://h/p?k=v&x=1#frag'))
    expect(view.query).toBe('k=v&x=1')
    expect(view.queryParam('k')).toEqual({ state: 'found', value: 'v' })
  })

  it('reads the query of an origin-relative URL', () => {
    const view = new RequestView(lightRequest({}, '/p?k=v'))
    expect(view.queryParam('k')).toEqual({ state: 'found', value: 'v' })
  })

  it('a URL without "?" has no query', () => {
    expect(new RequestView(lightRequest({}, '/p')).query).toBeUndefined()
    expect(new RequestView(lightRequest({}, '/p#a?b=1')).query).toBe('b=1')
  })

  it('reads the Cookie header once however many cookies are looked up', () => {
    let reads = 0
    const view = new RequestView({ method: 'GET', url: '/', headers: { get: (n) => (n === 'cookie' ? (reads++, 'a=1; b=2') : null) } })
    expect(view.cookie('a')).toEqual({ state: 'found', value: '1' })
    expect(view.cookie('b')).toEqual({ state: 'found', value: '2' })
    expect(reads).toBe(1)
  })

  it('reads the URL once however many parameters are looked up', () => {
    let reads = 0
    const view = new RequestView({ method: 'GET', get url() {
      reads++
      return '/p?a=1&b=2'
    }, headers: { get: () => null } })
    view.queryParam('a')
    view.queryParam('b')
    expect(reads).toBe(1)
  })
})
