// `express4` is the npm alias of Express 4 used to run the same tests on both majors; its
// runtime API is the part of @types/express (v5) these tests use.
declare module 'express4' {
  export { default } from 'express'
}
