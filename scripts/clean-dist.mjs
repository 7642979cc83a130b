// Remove the package's dist/ before tsc writes it, so that a renamed or deleted source file
// leaves no stale output behind (tsc never deletes what it wrote before). Run from a package.
import { rmSync } from 'node:fs'

rmSync('dist', { recursive: true, force: true })
