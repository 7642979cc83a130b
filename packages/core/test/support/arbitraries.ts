import fc from 'fast-check'

/**
 * Any string of code points (controls, lone surrogates, astral characters included), biased
 * towards ASCII. Cheaper to start than fast-check's `unit: 'binary'`, which builds a large table.
 */
export function anyUnicode(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  const codePoint = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 0x7f }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xffff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
  )
  return fc.array(codePoint, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 40 }).map((cps) => String.fromCodePoint(...cps))
}

/** Printable ASCII and ASCII controls only. */
export function anyAscii(maxLength = 60): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max: 0x7f }), { maxLength }).map((cps) => String.fromCharCode(...cps))
}
