import type { AuthSuccess } from '../result.js'
import { GuardResults, guardResult } from './guard-results.js'

/**
 * Each guard's own result on each request (stacked guards), for frameworks whose request is a
 * plain object: kept in a `WeakMap`, not on the request, and read back as an accessor on a
 * prototype the requests share ({@link exposeOn}), so that no request gets a property added (V8
 * makes that costly on objects whose prototype was swapped, as Express does to every request).
 */
export class RequestResults<Q extends object> {
  readonly #results = new WeakMap<Q, GuardResults>()
  readonly #patched = new WeakSet<object>()
  readonly #property: string

  /** `property`: the name the merged success is read by (`req.auth`). */
  constructor(property: string) {
    this.#property = property
  }

  /** Keep a guard's success on `req`; returns the merge of every guard passed so far. */
  record(req: Q, guard: object, result: AuthSuccess): AuthSuccess {
    const held = this.#results.get(req)
    if (held === undefined) {
      this.#results.set(req, new GuardResults(guard, result))
      return result
    }
    held.add(guard, result)
    return held.merged
  }

  /** One guard's own result on `req`; `call` names the accessor in the config error thrown when that guard did not pass it. */
  of(req: Q, guard: object, call: string): AuthSuccess {
    return guardResult(this.#results.get(req), guard, call)
  }

  /**
   * Make the property an accessor on `proto` that reads the merged success of `this` request; a
   * value assigned to it becomes an own property, as without the accessor. False when `proto` is
   * `null` or already has such a property of its own kind (then set the property on each request).
   */
  exposeOn(proto: object | null): boolean {
    if (proto === null) return false
    if (this.#patched.has(proto)) return true
    if (this.#property in proto) return false
    const results = this.#results
    const property = this.#property
    Object.defineProperty(proto, property, {
      configurable: true,
      enumerable: false,
      get(this: Q) {
        return results.get(this)?.merged
      },
      set(this: Q, value: unknown) {
        Object.defineProperty(this, property, { value, writable: true, configurable: true, enumerable: true })
      },
    })
    this.#patched.add(proto)
    return true
  }
}
