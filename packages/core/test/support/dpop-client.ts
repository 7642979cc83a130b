import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'

/** A DPoP client (RFC 9449) for adapter tests: one ES256 key, HS256 access tokens bound to it, proofs. */
export interface DpopClient {
  readonly jwk: JWK
  readonly jkt: string
  /** An access token bound to the key (`cnf.jkt`), signed with `secret` (HS256), `iss` and `aud` as given. */
  token(claims: { iss: string; aud: string; secret: string }): Promise<string>
  /** A fresh proof for `method` `htu` and `token` (`ath`). */
  proof(method: string, htu: string, token: string): Promise<string>
}

export async function dpopClient(): Promise<DpopClient> {
  const { privateKey, publicKey }: { privateKey: CryptoKey; publicKey: CryptoKey } = await generateKeyPair('ES256')
  const jwk = await exportJWK(publicKey)
  const jkt = await calculateJwkThumbprint(jwk)
  const encoder = new TextEncoder()
  return {
    jwk,
    jkt,
    token: ({ iss, aud, secret }) =>
      new SignJWT({ aud, cnf: { jkt } }).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setExpirationTime('5m').sign(encoder.encode(secret)),
    proof: async (method, htu, token) => {
      const ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token))))
      return new SignJWT({ htm: method, htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .sign(privateKey)
    },
  }
}
