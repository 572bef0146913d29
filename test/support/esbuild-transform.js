// Jest transform: esbuild strips types (type-checking runs once, in `npm run typecheck`),
// which keeps the 3.5 MB imported CRD module from dominating test start-up.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.js') ? 'js' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'both',
      sourcefile: filename,
    });
    return { code, map };
  },
};
