// Bundles a built app (the tsc output in dist/, decorator metadata included) and the code it
// imports into one ES module, dist/bundle/main.js: the file production runs.
//
// Why: a service loads about 2,000 modules from node_modules at start-up, and resolving, reading
// and linking them took over half of its cold start (@nestjs/swagger alone pulls in 428 files of
// es-toolkit). One file starts in about two thirds of the time.
//
// Usage, from an app's folder after `tsc -p tsconfig.build.json`: node ../../tools/build/bundle-app.mjs
import { build } from 'esbuild';

/**
 * Packages left to Node's resolver at runtime; each must be a dependency of every app.
 * - mongoose: esbuild's CommonJS interop calls its functions with the namespace object as
 *   `this`, which mongoose takes for a Mongoose instance (createConnection then fails);
 * - argon2: a native addon;
 * - swagger-ui-dist: serves Swagger UI's files from its own folder.
 */
const EXTERNAL = ['mongoose', 'argon2', 'swagger-ui-dist'];

/**
 * Optional dependencies the frameworks look up inside try/catch (Nest's microservices,
 * websockets and Express adapter; the MongoDB driver's compression and Kerberos modules) are not
 * installed; they stay runtime lookups that fail the way they do without a bundle.
 */
const missingStayExternal = {
  name: 'missing-stay-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.probing) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { probing: true },
      });
      if (resolved.errors.length > 0) return { path: args.path, external: true };
      return { path: resolved.path, external: resolved.external, namespace: resolved.namespace, sideEffects: resolved.sideEffects, suffix: resolved.suffix };
    });
  },
};

// Bundled CommonJS modules call require() and read __filename/__dirname; an ES module has none.
const COMMONJS_GLOBALS = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __pathDirname } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join('\n');

const result = await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/bundle/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  plugins: [missingStayExternal],
  banner: { js: COMMONJS_GLOBALS },
  // Names stay: Nest and mongoose use class names (model names, injection tokens, log contexts).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});

const inputs = Object.keys(result.metafile.inputs).length;
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`dist/bundle/main.js: ${inputs} modules, ${(bytes / 1048576).toFixed(1)} MB with its source map`);
