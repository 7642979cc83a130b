// parseurl (Express's own URL parser, a dependency of Express 4 and of Express 5's router) ships no types.
declare module 'parseurl' {
  function parseurl(req: { url?: string }): { pathname: string | null } | undefined
  // eslint-disable-next-line no-restricted-syntax -- the package's own CommonJS export
  export default parseurl
}
