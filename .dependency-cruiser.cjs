/** Layer rules of ARCHITECTURE.md, checked in `npm test`: arrows point down only. */
const IO = 'node_modules/(ioredis|pg|kysely|@electric-sql|bullmq)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing from other layers and no node: built-ins',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-uses-services',
      comment: 'api/ never talks to Redis or SQL directly',
      severity: 'error',
      from: { path: '^src/api' },
      to: {
        path: ['^src/store/(?!schema)', IO],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'services-below-api-and-telephony',
      comment: 'services/ are used by the api and the telephony role, never the other way round',
      severity: 'error',
      from: { path: '^src/(services|events|media|push)' },
      to: { path: '^src/(api|telephony)/' },
    },
    {
      name: 'store-is-the-bottom',
      comment:
        'store/ knows nothing of the layers that use it (an injected publisher is typed by events/types)',
      severity: 'error',
      from: { path: '^src/store' },
      to: { path: '^src/(api|services|telephony|events|media|push)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'metrics-at-the-bottom',
      comment:
        'metrics/ defines the metrics every layer updates; it imports none of them (domain types only)',
      severity: 'error',
      from: { path: '^src/metrics' },
      to: { path: '^src/(?!metrics|domain)', dependencyTypesNot: ['npm'] },
    },
    {
      name: 'client-stands-alone',
      comment:
        'src/client is shipped as callplane/client and built on its own: it imports nothing else of src',
      severity: 'error',
      from: { path: '^src/client' },
      to: { path: '^src/(?!client)' },
    },
    {
      name: 'errors-outside-api',
      comment: 'the error registry is for every layer; it imports nothing of them but the pure domain',
      severity: 'error',
      from: { path: '^src/errors' },
      to: { pathNot: '^src/(errors|domain)' },
    },
    {
      name: 'engine-never-imports-an-adapter',
      comment: 'the call engine and the Call speak to adapters only through telephony/adapter.ts',
      severity: 'error',
      from: { path: '^src/telephony/(engine|call)/' },
      to: { path: '^src/telephony/(embedded|freeswitch|platform)/|^src/telephony/(adapters|node)\\.ts$' },
    },
    {
      name: 'adapters-stand-alone',
      comment:
        'an adapter implements telephony/adapter.ts with what it is given; it imports no engine, service or store',
      severity: 'error',
      from: { path: '^src/telephony/(embedded|freeswitch)/' },
      to: {
        path: '^src/(api|services|store|events|media)/|^src/telephony/(engine|call|platform)/|^src/telephony/(adapters|node)\\.ts$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
