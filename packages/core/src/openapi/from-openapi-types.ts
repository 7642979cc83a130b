/**
 * The compile-time side of `fromOpenAPI`: which verifier options fit which `securitySchemes`
 * entry, and the principal each verifier produces. Types only.
 */
import type { ApiKeyStaticOptions, ApiKeyVerifyOptions } from '../schemes/api-key.js'
import type { HttpBasicStaticOptions, HttpBasicVerifyOptions } from '../schemes/http-basic.js'
import type { HttpBearerOptions } from '../schemes/http-bearer.js'
import type { JwtBearerOptions } from '../schemes/jwt-bearer.js'
import type { JwtPrincipal } from '../jwt/options.js'
import type { OAuth2JwtOptions, OAuth2VerifyOptions } from '../schemes/oauth2.js'
import type { OpenIdConnectOptions } from '../schemes/open-id-connect.js'
import type { AnyScheme, PrincipalOf, Scheme } from '../types.js'

/**
 * `scopes` as a method: its parameter is checked bivariantly, so `(session: Session) => …`
 * fits while the principal type is still being inferred from a sibling `verify`.
 */
type WithScopes<O, P> = Omit<O, 'scopes'> & {
  /** The scopes (or roles) a principal holds; see the scheme factory's `scopes` option. */
  scopes?(principal: P): readonly string[] | undefined
}

/** Verifier of an `apiKey` entry: `apiKey`'s options without `in` and `name`. */
export type ApiKeyVerifier<P extends object = object> =
  | WithScopes<Omit<ApiKeyVerifyOptions<P>, 'in' | 'name'>, P>
  | Omit<ApiKeyStaticOptions, 'in' | 'name'>

/** Verifier of an `http` `basic` entry: `httpBasic`'s options. */
export type HttpBasicVerifier<P extends object = object> = WithScopes<HttpBasicVerifyOptions<P>, P> | HttpBasicStaticOptions

/** Verifier of an `http` `bearer` entry: `httpBearer`'s options (opaque tokens) or `jwtBearer`'s (JWTs). */
export type HttpBearerVerifier<P extends object = object> =
  | (WithScopes<Omit<HttpBearerOptions<P>, 'bearerFormat'>, P> & { algorithms?: undefined })
  | (JwtBearerOptions & { verify?: undefined })

/** Verifier of an `oauth2` entry: `oauth2`'s options without `flows`. */
export type OAuth2Verifier<P extends object = object> = Omit<OAuth2JwtOptions, 'flows'> | WithScopes<Omit<OAuth2VerifyOptions<P>, 'flows'>, P>

/** Verifier of an `openIdConnect` entry: `openIdConnect`'s options without `openIdConnectUrl`. */
export type OpenIdConnectVerifier = Omit<OpenIdConnectOptions, 'openIdConnectUrl'>

/** The options of any scheme type, when the document's scheme types are not known at compile time. */
export type AnyVerifierOptions<P extends object = object> =
  | ApiKeyVerifier<P>
  | HttpBasicVerifier<P>
  | HttpBearerVerifier<P>
  | OAuth2Verifier<P>
  | OpenIdConnectVerifier

/**
 * The principal a verifier produces: a ready scheme's own; the non-null result of `verify`;
 * `{ id }` for static keys, `{ username }` for static users; a {@link JwtPrincipal} for JWT options.
 */
export type VerifiedPrincipal<V> = V extends AnyScheme
  ? PrincipalOf<V>
  : V extends { verify: (...args: never[]) => infer R }
    ? Extract<NonNullable<Awaited<R>>, object>
    : V extends { keys: object }
      ? { id: string }
      : V extends { users: object }
        ? { username: string }
        : V extends { token: object } | { algorithms: unknown }
          ? JwtPrincipal
          : object

/**
 * The verifier options that fit one `securitySchemes` entry (OpenAPI 3 or Swagger 2.0 shape);
 * `never` for types authspec has no factory for (`mutualTLS`, http `DPoP`…), which take a ready
 * `Scheme`. A ready `Scheme` fits every entry and is not part of this type, so that `verify`'s
 * parameters keep their contextual type.
 */
export type VerifierOptionsFor<Entry, P extends object = object> = Entry extends { readonly type: infer T }
  ? string extends T
    ? AnyVerifierOptions<P> // a document variable without `as const`: `type` is only known to be a string
    : KnownOptionsFor<Entry, P>
  : never

type HttpOptionsFor<H extends string, P extends object> = string extends H
  ? HttpBasicVerifier<P> | HttpBearerVerifier<P>
  : Lowercase<H> extends 'basic'
    ? HttpBasicVerifier<P>
    : Lowercase<H> extends 'bearer'
      ? HttpBearerVerifier<P>
      : never

type KnownOptionsFor<Entry, P extends object> = Entry extends { readonly type: 'apiKey' }
  ? ApiKeyVerifier<P>
  : Entry extends { readonly type: 'http'; readonly scheme: infer H extends string }
    ? HttpOptionsFor<H, P>
    : Entry extends { readonly type: 'basic' }
      ? HttpBasicVerifier<P>
      : Entry extends { readonly type: 'oauth2' }
        ? OAuth2Verifier<P>
        : Entry extends { readonly type: 'openIdConnect' }
          ? OpenIdConnectVerifier
          : never

/** A ready `Scheme` as is, else the options `options` allows, with the principal inferred from `V`. */
type VerifierSlot<V, Options> = V extends AnyScheme
  ? AnyScheme
  : [Options] extends [never]
    ? AnyScheme
    : Options & { readonly [X in Exclude<keyof V, KeysOf<Options>>]?: never }

/** Every key of every member of a union. */
type KeysOf<U> = U extends unknown ? keyof U : never

/** `components.securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2.0). */
type DeclaredOf<D> = D extends { readonly components: { readonly securitySchemes: infer M } }
  ? M
  : D extends { readonly securityDefinitions: infer M }
    ? M
    : Record<never, never>

type RequirementNames<X> = X extends readonly (infer O)[] ? (O extends object ? keyof O & string : never) : never
type OperationNames<Item> = Item extends object ? { [M in keyof Item]: Item[M] extends { readonly security: infer X } ? RequirementNames<X> : never }[keyof Item] : never
type PathNames<D> = D extends { readonly paths: infer P } ? (P extends object ? { [T in keyof P]: OperationNames<P[T]> }[keyof P] : never) : never

/** Scheme names the document's requirements use (document and operation `security`). */
type UsedNames<D> = (D extends { readonly security: infer X } ? RequirementNames<X> : never) | PathNames<D>

/** True when the document's scheme names are known at compile time (an inline or `as const` document). */
type KnowsSchemes<D> = 0 extends 1 & D
  ? false
  : unknown extends D
    ? false
    : string extends keyof DeclaredOf<D>
      ? false
      : [keyof DeclaredOf<D>] extends [never]
        ? false
        : true

type Own<V, K> = K extends keyof V ? V[K] : unknown

/**
 * What `options.verifiers` must be for document `D`, given the verifiers `V` passed. With a
 * document whose `securitySchemes` are known (inline or `as const`): one verifier per declared
 * name, of the options that scheme's type takes, and a ready `Scheme` for each name the
 * requirements use without declaring it; nothing else. With a document typed loosely (parsed
 * YAML/JSON): any names, each an options object of some scheme type or a `Scheme`.
 */
export type VerifiersFor<D, V> =
  KnowsSchemes<D> extends true
    ? { readonly [K in keyof DeclaredOf<D> & string]: VerifierSlot<Own<V, K>, VerifierOptionsFor<DeclaredOf<D>[K], VerifiedPrincipal<Own<V, K>>>> } & {
        readonly [K in Exclude<UsedNames<D>, keyof DeclaredOf<D>>]: AnyScheme
      } & { readonly [K in Exclude<keyof V, keyof DeclaredOf<D> | UsedNames<D>>]?: never }
    : { readonly [K in keyof V]: VerifierSlot<V[K], AnyVerifierOptions<VerifiedPrincipal<V[K]>>> }

/** The schemes `fromOpenAPI` builds from verifiers `V`, each with its verifier's principal. */
export type SchemesOf<V> = [V] extends [never]
  ? Record<string, AnyScheme>
  : string extends keyof V
    ? Record<string, AnyScheme>
    : { [K in keyof V & string]: Scheme<VerifiedPrincipal<V[K]>> }
