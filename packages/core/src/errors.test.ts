import { describe, expect, it } from 'vitest'
import { AuthspecError, configError, isAuthspecError } from './errors.js'

describe('AuthspecError', () => {
  it('carries code, scheme, status 500, name and cause', () => {
    const cause = new Error('root')
    const error = new AuthspecError('ERR_AUTHSPEC_VERIFY', 'boom', { cause, scheme: 'Jwt' })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_VERIFY', scheme: 'Jwt', status: 500, message: 'boom', cause })
  })

  it('has no cause and an undefined scheme when none is given', () => {
    const error = new AuthspecError('ERR_AUTHSPEC_INTERNAL', 'x')
    expect('cause' in error).toBe(false)
    expect(error.scheme).toBeUndefined()
  })

  it('configError builds an ERR_AUTHSPEC_CONFIG', () => {
    expect(configError('bad', 'K')).toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG', scheme: 'K', message: 'bad' })
  })
})

describe('isAuthspecError', () => {
  it('recognises instances and look-alikes from another copy of the package', () => {
    expect(isAuthspecError(new AuthspecError('ERR_AUTHSPEC_CONFIG', 'x'))).toBe(true)
    expect(isAuthspecError(Object.assign(new Error('x'), { name: 'AuthspecError', code: 'ERR_AUTHSPEC_CONFIG' }))).toBe(true)
  })

  it('rejects other errors and values', () => {
    expect(isAuthspecError(new Error('x'))).toBe(false)
    expect(isAuthspecError({ name: 'AuthspecError', code: 'E_OTHER' })).toBe(false)
    expect(isAuthspecError(null)).toBe(false)
    expect(isAuthspecError('AuthspecError')).toBe(false)
  })
})
