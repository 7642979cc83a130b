export { createMcpApp } from './app.js'
export type { McpAppOptions } from './app.js'
export { worker } from './worker.js'
export type { McpWorkerEnv } from './worker.js'
