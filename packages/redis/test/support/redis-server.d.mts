/** A redis-server started by {@link startRedis}. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kill the server (an outage). */
  stop(): Promise<void>
  /** Start it again on the same port. */
  start(): Promise<void>
  /** Stop it for good and remove its directory. */
  close(): Promise<void>
}
/** The path of redis-server, installing it through apt-get when root and it is missing; throws one line saying how otherwise. */
export function findRedisServer(): string
/** Start redis-server on 127.0.0.1, a free port, a temporary directory, no persistence. */
export function startRedis(): Promise<RedisServer>
