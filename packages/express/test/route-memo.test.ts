import { describe, expect, it } from 'vitest'
import { RouteMemo } from '@authspec/core/adapter'
import type { Layer } from '../src/route-pattern.js'
import type { Target } from '../src/router-match.js'

const target = (label: string): Target => ({ kind: 'opaque', label })

describe('RouteMemo: remembered routes per app stack, bounded, dropped when a stack on the way changes', () => {
  it('holds at most 1,000 entries per stack, forgetting the oldest first', () => {
    const memo = new RouteMemo()
    const stack: Layer[] = []
    for (let i = 0; i <= 1000; i++) memo.set(stack, `GET /p/${i}`, target(String(i)), [stack])
    expect(memo.get(stack, 'GET /p/0')).toBeUndefined()
    expect(memo.get(stack, 'GET /p/1')).toEqual(target('1'))
    expect(memo.get(stack, 'GET /p/1000')).toEqual(target('1000'))
  })

  it('an entry is dropped once any stack the search read has another length; other stacks keep theirs', () => {
    const memo = new RouteMemo()
    const app: Layer[] = [{} as Layer]
    const inner: Layer[] = [{} as Layer]
    const other: Layer[] = []
    memo.set(app, 'GET /a', target('a'), [app, inner])
    memo.set(other, 'GET /a', target('other'), [other])
    inner.push({} as Layer)
    expect(memo.get(app, 'GET /a')).toBeUndefined()
    expect(memo.get(other, 'GET /a')).toEqual(target('other'))
  })
})
