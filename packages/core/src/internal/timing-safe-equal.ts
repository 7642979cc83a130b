/**
 * Compare a request-supplied string with a secret in time that depends only on the length of
 * `input` (which the caller already knows), never on where they differ nor on the secret's
 * length. Synchronous: no `crypto.subtle` on the hot path.
 *
 * @param input the value from the request
 * @param secret the expected value; must not be empty
 */
export function timingSafeEqual(input: string, secret: string): boolean {
  const secretLength = secret.length
  if (secretLength === 0) return false
  let diff = input.length ^ secretLength
  for (let i = 0; i < input.length; i++) {
    diff |= input.charCodeAt(i) ^ secret.charCodeAt(i % secretLength)
  }
  return diff === 0
}
