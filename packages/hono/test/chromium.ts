// Finds a Chromium for the browser test without downloading one: CHROMIUM_PATH, then Debian's
// /usr/bin/chromium, then the headless-shell binary shipped inside the npm package
// @sparticuz/chromium (brotli-compressed in node_modules; decompressed once into the OS temp dir).
// Shared libraries the binary needs and the machine lacks are installed with apt-get when running
// as root; otherwise the error says in one line what to install.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface FoundChromium {
  executablePath: string
  /** Where it came from: `CHROMIUM_PATH`, `/usr/bin/chromium` or `@sparticuz/chromium@<version>`. */
  source: string
  /** Extra environment for the browser process (fontconfig for the npm binary). */
  env: Record<string, string>
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium'

/** Debian bookworm packages that ship the shared libraries the Sparticuz headless shell links. */
const DEBIAN_PACKAGE_OF: Record<string, string> = {
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libsmime3.so': 'libnss3',
  'libnspr4.so': 'libnspr4',
  'libplc4.so': 'libnspr4',
  'libplds4.so': 'libnspr4',
  'libexpat.so.1': 'libexpat1',
  'libgcc_s.so.1': 'libgcc-s1',
}

/** The Debian packages that provide the given sonames, or `undefined` when one is not known. */
export function debianPackagesFor(sonames: string[]): string[] | undefined {
  const packages = new Set<string>()
  for (const soname of sonames) {
    const name = DEBIAN_PACKAGE_OF[soname]
    if (name === undefined) return undefined
    packages.add(name)
  }
  return [...packages].sort()
}

/** Sonames that `ldd` cannot resolve for `binary` (empty when ldd is unavailable). */
export function missingLibraries(binary: string): string[] {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' })
  if (ldd.error !== undefined || typeof ldd.stdout !== 'string') return []
  return [...ldd.stdout.matchAll(/^\s*(\S+)\s+=>\s+not found/gm)].map((m) => m[1]!)
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  const fromEnv = env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutable(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file`)
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH', env: {} }
  }
  if (isExecutable(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, source: DEBIAN_CHROMIUM, env: {} }
  return sparticuzChromium()
}

/** Decompress @sparticuz/chromium's binary once per version into `<tmp>/authspec-chromium-<version>`. */
async function sparticuzChromium(): Promise<FoundChromium> {
  const require = createRequire(import.meta.url)
  let entry: string
  try {
    entry = require.resolve('@sparticuz/chromium')
  } catch {
    throw new Error('no Chromium found: run npm ci (it installs @sparticuz/chromium), or set CHROMIUM_PATH, or apt-get install -y chromium')
  }
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }
  const cache = join(tmpdir(), `authspec-chromium-${version}`)
  const binary = join(cache, 'chromium')
  if (!existsSync(join(cache, '.complete'))) await extractInto(cache)
  provisionLibraries(binary)
  return { executablePath: binary, source: `@sparticuz/chromium@${version}`, env: { FONTCONFIG_FILE: join(cache, 'fonts.conf') } }
}

async function extractInto(cache: string): Promise<void> {
  // Sparticuz extracts into os.tmpdir(), and reuses any `<tmp>/chromium` it finds: point it at a
  // private staging folder, then move that into place in one rename so that concurrent runs never
  // see half-written files.
  const staging = mkdtempSync(join(tmpdir(), 'authspec-chromium-staging-'))
  const saved = process.env.TMPDIR
  process.env.TMPDIR = staging
  try {
    const { default: Chromium } = await import('@sparticuz/chromium')
    Chromium.setGraphicsMode = false // no WebGL: the test runs with --disable-gpu, so skip SwiftShader
    const extracted = await Chromium.executablePath()
    if (extracted !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium extracted to ${extracted}, expected ${staging}`)
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  }
  // The package's fonts (Open Sans) plus the system's, so pages render text on a machine without fonts.
  writeFileSync(
    join(staging, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>/usr/share/fonts</dir>\n  <dir>${cache}/fonts</dir>\n  <cachedir>${cache}/fonts-cache</cachedir>\n</fontconfig>\n`,
  )
  writeFileSync(join(staging, '.complete'), '')
  try {
    renameSync(staging, cache)
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    if (!existsSync(join(cache, '.complete'))) throw error // another run won the race only if it finished
  }
}

/** Install (as root, with apt-get) the Debian packages of libraries the binary lacks, or fail saying how. */
function provisionLibraries(binary: string): void {
  const missing = missingLibraries(binary)
  if (missing.length === 0) return
  const packages = debianPackagesFor(missing)
  const how = packages === undefined ? `install the packages providing ${missing.join(' ')}` : `apt-get install -y ${packages.join(' ')}`
  const canInstall = packages !== undefined && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0
  if (!canInstall) throw new Error(`Chromium (${binary}) needs ${missing.join(', ')}: ${how} (as root), or set CHROMIUM_PATH`)
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: aptEnv, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 })
  if (install().status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env: aptEnv, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 })
    const again = install()
    if (again.status !== 0) throw new Error(`${how} failed: ${String(again.stderr).trim().split('\n').at(-1)}`)
  }
  const still = missingLibraries(binary)
  if (still.length > 0) throw new Error(`Chromium (${binary}) still lacks ${still.join(', ')} after ${how}`)
}
