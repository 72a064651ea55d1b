/**
 * Layering of the code base, checked by `npm run deps:check` (dependency-cruiser).
 * The data flow is the folder layout: ingest → vectorstore → retrieval → answer → server →
 * widget. Each rule forbids an edge that points back up that flow; no module may be part of
 * an import cycle. Type-only imports count for the layers (they couple them as much as any other).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'An import cycle ties modules into one: they can no longer be read, tested or moved alone. ' +
        'A cycle closed only by a type-only import (erased at run time, e.g. a parser naming the ' +
        'Parser type its registry is typed with) does not count.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'text-is-a-leaf',
      severity: 'error',
      comment:
        'src/text (normalise, tokenize, lexicon) is used by every stage and uses none of them.',
      from: { path: '^src/text/' },
      to: {
        path: '^(src/(retrieval|answer|server|facts|eval|cli|embeddings)/|src/(engine|main|index-store)\\.ts$|ingest/)',
      },
    },
    {
      name: 'ingest-not-runtime',
      severity: 'error',
      comment:
        'The offline pipeline writes the index through src/index-store.ts and may use src/text and the ' +
        'retrieval building blocks; it never reaches the answer layer, the engine or the server.',
      from: { path: '^ingest/' },
      to: { path: '^(src/(answer|server|cli|eval)/|src/(engine|main)\\.ts$)' },
    },
    {
      name: 'retrieval-not-answer',
      severity: 'error',
      comment: 'Retrieval finds passages; it does not know how answers are composed or served.',
      from: { path: '^src/retrieval/' },
      to: { path: '^(src/(answer|server|cli)/|src/(engine|main)\\.ts$|ingest/)' },
    },
    {
      name: 'answer-not-engine-or-server',
      severity: 'error',
      comment: 'The answer layer is used by the engine and the server, never the other way round.',
      from: { path: '^src/answer/' },
      to: { path: '^(src/(server|cli)/|src/(engine|main)\\.ts$|ingest/)' },
    },
    {
      name: 'engine-not-server-or-ingest',
      severity: 'error',
      comment:
        "The engine answers from a built index; building it is the ingest CLI's job (a child process).",
      from: { path: '^src/(engine|engine-types|index-store|config|errors|types)\\.ts$' },
      to: { path: '^(src/(server|cli)/|src/main\\.ts$|ingest/)' },
    },
    {
      name: 'server-not-ingest-or-cli',
      severity: 'error',
      comment:
        'The server may use the engine; it runs ingest as a child process, never in its own module graph.',
      from: { path: '^src/server/' },
      to: { path: '^(src/cli/|src/main\\.ts$|ingest/)' },
    },
    {
      name: 'runtime-not-tooling',
      severity: 'error',
      comment: 'Nothing the service runs depends on tests, benchmarks or the widget.',
      from: { path: '^(src|ingest)/' },
      to: { path: '^(test|bench|web)/' },
    },
    {
      name: 'widget-only-wire-types',
      severity: 'error',
      comment:
        'The widget is bundled for browsers: from src it may import only the shared wire types ' +
        '(src/types.ts, src/server/protocol.ts), and only as types (erased from the bundle).',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(types|server/protocol)\\.ts$' },
    },
    {
      name: 'widget-wire-types-are-type-only',
      severity: 'error',
      comment: 'A value import would bundle server code (zod schemas, errors) into widget.js.',
      from: { path: '^web/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|web/dist|vectorstore)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
