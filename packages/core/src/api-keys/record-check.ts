import { isPlainObject } from '../internal/plain-object.js'
import type { KeyRecord } from './key-store.js'

/** Why a stored record was refused as malformed (reported through `onMalformedRecord`). */
export type MalformedRecordProblem = 'record' | 'revoked' | 'expiresAt' | 'scopes' | 'principal'

/** What `onMalformedRecord` is told: the record's public id when it has one, never the key or its hash. */
export interface MalformedRecordReport {
  /** The record's `id` when it is a string. */
  readonly id: string | undefined
  /** The field that made the record unusable. */
  readonly problem: MalformedRecordProblem
}

function isStringArray(value: unknown): value is readonly string[] {
  if (!Array.isArray(value)) return false
  for (const item of value) if (typeof item !== 'string') return false
  return true
}

/**
 * The problem of a record read from a store, or `undefined` when it can be used. Records may be
 * written by other programs, so nothing is trusted: `revoked` must be absent or exactly `false`
 * (any other value, `1` or `"true"` included, is refused), `expiresAt` absent or a finite
 * number, `scopes` absent or an array of strings, `principal` a plain object.
 */
export function recordProblem(record: unknown): MalformedRecordProblem | undefined {
  if (!isPlainObject(record)) return 'record'
  const { revoked, expiresAt, scopes, principal } = record as Partial<Record<keyof KeyRecord, unknown>>
  if (revoked !== undefined && revoked !== false && revoked !== true) return 'revoked'
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) return 'expiresAt'
  if (scopes !== undefined && !isStringArray(scopes)) return 'scopes'
  if (!isPlainObject(principal)) return 'principal'
  return undefined
}

/** `recordProblem`, and a check of the request-independent fields that the lifecycle functions need. */
export function isUsableRecord(record: unknown, now: number): record is KeyRecord {
  if (recordProblem(record) !== undefined) return false
  const { revoked, expiresAt } = record as KeyRecord
  return revoked !== true && (expiresAt === undefined || expiresAt > now)
}

/** A deep copy of plain data, frozen: what the memory store keeps, so no request can change another's record. */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T
  if (!isPlainObject(value)) return Object.freeze(value)
  const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {}
  for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key])
  return Object.freeze(copy) as T
}
