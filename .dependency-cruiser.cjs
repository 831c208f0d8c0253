/**
 * The house's layering rules (the design notes' HOUSE.md is the design; this file enforces
 * its "never" list). `npm run lint:layers` runs it; `npm test` runs that right after the typecheck.
 *
 * Exceptions are exact file pairs, each with why and who removes it. Never widen one into a folder.
 */

/** Imports that the code still has and that another change in flight removes. */
const TEMPORARY = [
  // (none: the use cases return messages and view models, and bot/ renders them, since issue 15's cards work)
];

const escape = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A rule forbidding `from` → `to`, minus the temporary pairs that fall under it. */
function forbid(name, comment, from, to) {
  const rule = { name, comment, severity: 'error', from: { path: from }, to: { path: to } };
  const pairs = TEMPORARY.filter(([f, t]) => new RegExp(from).test(f) && new RegExp(to).test(t));
  if (pairs.length === 0) return [rule];
  // One rule per importer, so an exception covers exactly one file pair.
  const others = { ...rule, from: { path: from, pathNot: pairs.map(([f]) => `^${escape(f)}$`) } };
  const perPair = [...new Set(pairs.map(([f]) => f))].map((f) => ({
    ...rule,
    from: { path: `^${escape(f)}$` },
    to: { path: to, pathNot: pairs.filter(([g]) => g === f).map(([, t]) => `^${escape(t)}$`) },
  }));
  return [others, ...perPair];
}

module.exports = {
  forbidden: [
    ...forbid(
      'domain-is-pure',
      'domain/ imports nothing else of ours: rules and decisions, no I/O, no clock, no ports.',
      '^src/domain/',
      '^src/(?!domain/)',
    ),
    ...forbid(
      'usecases-reach-only-domain-and-ports',
      'Use cases return outcomes or view models and reach the world only through the ports they name.',
      '^src/usecases/',
      '^src/(?!(domain|ports|usecases)/)',
    ),
    ...forbid(
      'adapters-serve-ports',
      'Adapters serve ports and take settings: they know no bot, use case, tenant setup, HTTP edge or composition root.',
      '^src/adapters/',
      '^src/(bot|usecases|tenant|server|runtime)/',
    ),
    ...forbid('ports-are-contracts', 'Ports name what the app needs; they import only domain types and each other.', '^src/ports/', '^src/(?!(domain|ports)/)'),
    ...forbid(
      'edges-do-not-reach-the-composition-root',
      'The HTTP server, the bot and the jobs take the ports they name; only the composition root (runtime/, main, the pt command) picks adapters.',
      '^src/(server|bot|jobs)/',
      '^src/runtime/',
    ),
    ...forbid('config-before-composition', 'Configuration is read before anything is composed.', '^src/config/', '^src/runtime/'),
    ...forbid('tenant-setup-not-http', 'Tenant setup code does not reach into the HTTP edges.', '^src/tenant/', '^src/server/'),
    ...forbid('tab-speaks-http-only', 'The tab runs in a browser and reaches the app over HTTP only.', '^src/tab/', '^src/(?!tab/)'),
    {
      name: 'no-circles',
      comment: 'No import circles anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|third_party)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
