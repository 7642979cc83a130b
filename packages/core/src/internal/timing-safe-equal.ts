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

/**
 * {@link timingSafeEqual} against one secret known in advance (a static API key), faster: the
 * secret's characters are laid out once in a table whose size is a power of two, so each step
 * costs a mask instead of a division. The time still depends only on the input's length: every
 * input character is compared with a table slot, and slots past the secret hold a value no
 * character has.
 */
export function secretMatcher(secret: string): (input: string) => boolean {
  if (secret.length === 0) throw new TypeError('secretMatcher: empty secret')
  let size = 1
  while (size < secret.length) size <<= 1
  const table = new Int32Array(size).fill(-1)
  for (let i = 0; i < secret.length; i++) table[i] = secret.charCodeAt(i)
  const mask = size - 1
  const length = secret.length
  return (input) => {
    let diff = input.length ^ length
    for (let i = 0; i < input.length; i++) diff |= input.charCodeAt(i) ^ table[i & mask]!
    return diff === 0
  }
}
