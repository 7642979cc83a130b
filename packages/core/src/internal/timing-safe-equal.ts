/** Compared against when there is no usable secret, so the loop still runs over the input. */
const NO_SECRET = '\u0000'

/**
 * Compare a request-supplied string with a secret in time that depends only on the length of
 * `input` (which the caller already knows), never on where they differ nor on the secret's
 * length. Never throws: a non-string on either side (say `USERS[name]` for an unknown user) or
 * an empty secret is unequal, after the same loop over the input, so an unknown username costs
 * what a wrong password costs. Synchronous: no `crypto.subtle` on the hot path.
 *
 * @param input the value from the request
 * @param secret the expected value; a non-string or empty one never matches
 */
export function timingSafeEqual(input: string | null | undefined, secret: string | null | undefined): boolean {
  const text = typeof input === 'string' ? input : ''
  const usable = typeof secret === 'string' && secret.length > 0 && typeof input === 'string'
  const expected = usable ? (secret as string) : NO_SECRET
  const expectedLength = expected.length
  let diff = usable ? text.length ^ expectedLength : 1
  for (let i = 0; i < text.length; i++) {
    diff |= text.charCodeAt(i) ^ expected.charCodeAt(i % expectedLength)
  }
  return diff === 0
}
