// Import rules checked by `npm test` (npm run check:imports). Type-only imports
// count too: a circle of types is still a circle a reader has to untangle.
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: split the module that both sides need (see docs/ARCHITECTURE.md).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-without-electron',
      severity: 'error',
      comment: 'The engine under electron/lab/ is plain Node: it never imports electron.',
      from: { path: '^electron/lab/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
