import { describe, expect, it } from 'vitest'
import { func, httpUrl, integerAtLeast, isHttpUrl, millisecondsProblem, nonEmptyString, oneOf, positiveInteger, positiveNumber, seconds, wholeSeconds } from './option-schema.js'
import { TimeoutError, withTimeout } from './with-timeout.js'

const refused = (check: () => unknown, message: string): void => {
  expect(check).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message }))
}

describe('option-schema checkers', () => {
  it('return the value when it fits', () => {
    expect(positiveInteger('f: n', 3)).toBe(3)
    expect(integerAtLeast('f: n', 16, 16)).toBe(16)
    expect(wholeSeconds('f: maxAge', 0)).toBe(0)
    expect(positiveNumber('f: timeout', 0.5, 'milliseconds')).toBe(0.5)
    expect(seconds('f: s', 300, { max: 300 })).toBe(300)
    expect(oneOf('f: mode', 'b', ['a', 'b'])).toBe('b')
    expect(httpUrl('f: url', 'https://x.test/a')).toBe('https://x.test/a')
    expect(nonEmptyString('f: name', 'x')).toBe('x')
    const fn = (): void => undefined
    expect(func('f: fn', fn)).toBe(fn)
    expect(millisecondsProblem('f: ms', 0)).toBeUndefined()
  })

  it('refuse with "<label> must be <expected>"', () => {
    for (const bad of [0, 1.5, '3', Number.NaN, 2 ** 53]) refused(() => positiveInteger('f: n', bad), 'f: n must be a positive integer')
    refused(() => integerAtLeast('f: maxTokenLength', 15, 16), 'f: maxTokenLength must be an integer ≥ 16')
    refused(() => wholeSeconds('f: maxAge', 1.5), 'f: maxAge must be a whole number of seconds ≥ 0')
    for (const bad of [0, -1, Infinity, Number.NaN]) refused(() => positiveNumber('f: timeout', bad, 'milliseconds'), 'f: timeout must be a positive number of milliseconds')
    refused(() => seconds('f: window', 0.5, { min: 1 }), 'f: window must be at least 1 (seconds)')
    refused(() => seconds('f: maxAge', -1), 'f: maxAge must be a finite number of seconds ≥ 0')
    refused(() => seconds('f: tol', 301, { max: 300 }), 'f: tol must be a finite number of seconds between 0 and 300')
    refused(() => seconds('f: tol', Infinity, {}, 'a number of seconds ≥ 0'), 'f: tol must be a number of seconds ≥ 0')
    refused(() => oneOf('f: in', 'body', ['header', 'query', 'cookie']), 'f: in must be "header", "query" or "cookie"')
    refused(() => oneOf('f: mode', 'x', ['a', 'b']), 'f: mode must be "a" or "b"')
    refused(() => func('f: exclude', 1, 'a function (path, method) => boolean'), 'f: exclude must be a function (path, method) => boolean')
    for (const bad of ['ftp://x.test/', '/relative', 3]) refused(() => httpUrl('f: url', bad), 'f: url must be an absolute http(s) URL')
    refused(() => nonEmptyString('f: name', ''), 'f: name must be a non-empty string')
    expect(millisecondsProblem('remoteKeys.x', -1)).toBe('remoteKeys.x must be a finite number of milliseconds ≥ 0')
    expect(isHttpUrl('http://x.test')).toBe(true)
  })
})

describe('withTimeout', () => {
  it('settles with the value, or rejects with a TimeoutError when the time is up', async () => {
    await expect(withTimeout(Promise.resolve(1), 1000)).resolves.toBe(1)
    await expect(withTimeout(2, 1000)).resolves.toBe(2)
    await expect(withTimeout(new Promise(() => undefined), 5)).rejects.toBeInstanceOf(TimeoutError)
  })
})
