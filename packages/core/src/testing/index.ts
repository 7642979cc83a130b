export { createTestKey, createTestSecret, forgeTestToken, signTestToken } from './keys.js'
export type { SignTestTokenOptions, TestAlgorithm, TestKey, TestSecret } from './keys.js'
export { startTestIssuer } from './issuer-server.js'
export type { TestIssuer, TestIssuerFailure, TestIssuerOptions } from './issuer-server.js'
