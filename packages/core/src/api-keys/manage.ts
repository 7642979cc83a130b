import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { newApiKey, type GeneratedApiKey } from './generate.js'
import { HASH_OPTIONS, type HashApiKeyOptions } from './hash.js'
import type { KeyRecord, WritableKeyStore } from './key-store.js'
import { isUsableRecord, recordProblem } from './record-check.js'
import { seconds } from '../internal/option-schema.js'

/** Options of {@link issueApiKey}. */
export interface IssueApiKeyOptions<P extends object> extends HashApiKeyOptions {
  prefix: string
  principal: P
  scopes?: readonly string[]
  /** Milliseconds since the epoch after which the key is refused. */
  expiresAt?: number
}

const ISSUE_OPTIONS = optionNames<IssueApiKeyOptions<object>>()(...HASH_OPTIONS, 'prefix', 'principal', 'scopes', 'expiresAt')

/** The record fields of `issueApiKey`, checked the way a lookup checks what it reads (config errors). */
function checkRecordInput(options: IssueApiKeyOptions<object>): void {
  const probe = { id: 'probe', principal: options.principal, scopes: options.scopes, expiresAt: options.expiresAt }
  const problem = recordProblem(probe)
  if (problem === 'principal') throw configError('issueApiKey: principal must be a plain object')
  if (problem === 'scopes') throw configError('issueApiKey: scopes must be an array of strings')
  if (problem === 'expiresAt') throw configError('issueApiKey: expiresAt must be a finite number (milliseconds since the epoch)')
}

/** Generate a key and write its record; returns the key (show it once) with its id and hash. */
export async function issueApiKey<P extends object>(store: WritableKeyStore<P>, options: IssueApiKeyOptions<P>): Promise<GeneratedApiKey> {
  if (options === null || typeof options !== 'object') throw configError('issueApiKey: options { prefix, principal } are required')
  checkOptions('issueApiKey', options, ISSUE_OPTIONS)
  checkRecordInput(options)
  const generated = newApiKey(options)
  const record: KeyRecord<P> = { id: generated.id, principal: options.principal }
  if (options.scopes !== undefined) (record as { scopes?: readonly string[] }).scopes = [...options.scopes]
  if (options.expiresAt !== undefined) (record as { expiresAt?: number }).expiresAt = options.expiresAt
  await store.set(generated.hash, record)
  return generated
}

/** Options of {@link rotateApiKey}. */
export interface RotateApiKeyOptions extends HashApiKeyOptions {
  /** Prefix of the new key. */
  prefix: string
  /** Seconds the old key stays valid after the rotation (its `expiresAt` is brought forward, never extended). */
  grace: number
}

const ROTATE_OPTIONS = optionNames<RotateApiKeyOptions>()(...HASH_OPTIONS, 'prefix', 'grace')

/**
 * Read-change-write of one record: atomic through the store's `update` when it has one (memory,
 * Redis), else a read then a write (last writer wins, e.g. Workers KV).
 */
async function changeRecord<P extends object>(
  store: WritableKeyStore<P>,
  hash: string,
  change: (current: KeyRecord<P> | undefined) => KeyRecord<P> | undefined,
): Promise<KeyRecord<P> | undefined> {
  if (typeof store.update === 'function') return await store.update(hash, change)
  const next = change(await store.get(hash))
  if (next !== undefined) await store.set(hash, next)
  return next
}

/**
 * Rotation: a new key with the old record's principal, scopes and expiry, and the old key kept
 * valid for `grace` seconds so that clients can switch over. Throws when `oldHash` is unknown,
 * revoked or expired. The new record is written first, then the old one is shortened in one
 * atomic step (on stores with `update`): a revocation that lands first makes the rotation throw
 * and take its new key back; one that lands after it stays (the old key ends revoked).
 */
export async function rotateApiKey<P extends object>(store: WritableKeyStore<P>, oldHash: string, options: RotateApiKeyOptions): Promise<GeneratedApiKey> {
  if (options !== null && typeof options === 'object') checkOptions('rotateApiKey', options, ROTATE_OPTIONS)
  const { grace } = options
  seconds('rotateApiKey: grace', grace, {}, 'a number of seconds ≥ 0')
  const now = Date.now()
  const old = await store.get(oldHash)
  if (!isUsableRecord(old, now)) throw configError('rotateApiKey: no valid key has this hash')
  const generated = newApiKey(options)
  await store.set(generated.hash, { ...old, id: generated.id })
  const until = now + grace * 1000
  const shortened = await changeRecord(store, oldHash, (current) =>
    isUsableRecord(current, now) ? { ...current, expiresAt: current.expiresAt === undefined ? until : Math.min(current.expiresAt, until) } : undefined,
  )
  if (shortened === undefined) {
    // Revoked (or deleted) between the read and the write: the rotation must not outlive it.
    await store.delete(generated.hash)
    throw configError('rotateApiKey: no valid key has this hash (revoked during the rotation)')
  }
  return generated
}

/**
 * Revoke a key: its record stays, marked `revoked`, so every instance refuses it on its next
 * lookup. Atomic on stores with `update`: it cannot be lost to a concurrent rotation.
 */
export async function revokeApiKey<P extends object>(store: WritableKeyStore<P>, hash: string): Promise<boolean> {
  const revoked = await changeRecord(store, hash, (current) => (current === undefined ? undefined : { ...current, revoked: true }))
  return revoked !== undefined
}
