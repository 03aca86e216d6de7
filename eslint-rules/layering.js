// Refuses imports that cross the architecture's layers the wrong way
// (see ARCHITECTURE.md): shared <- native <- engine <- {main, station, cli};
// preload <- shared; renderer <- shared. Tools (e2e, bench, scripts, bin) may
// import anything.
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');

const LAYERS = [
  ['shared', 'electron/shared'],
  ['engine', 'electron/engine'],
  ['main', 'electron/main'],
  ['preload', 'electron/preload'],
  ['station', 'electron/station'],
  ['cli', 'electron/cli'],
  ['native', 'native'],
  ['renderer', 'renderer'],
];

const ALLOWED = {
  shared: ['shared'],
  native: ['shared', 'native'],
  engine: ['shared', 'native', 'engine'],
  main: ['shared', 'native', 'engine', 'main'],
  station: ['shared', 'native', 'engine', 'station'],
  cli: ['shared', 'native', 'engine', 'cli'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
};

/** Packages a layer may not import whatever the path. */
const FORBIDDEN_PACKAGES = {
  shared: (name) => name !== 'zod',
  native: (name) => name === 'electron',
  engine: (name) => name === 'electron',
  station: (name) => name === 'electron',
  cli: (name) => name === 'electron',
  renderer: (name) => name === 'electron' || isBuiltin(name),
  preload: (name) => isBuiltin(name) && name !== 'electron',
};

const builtins = new Set(builtinModules);
function isBuiltin(name) {
  return name.startsWith('node:') || builtins.has(name.split('/')[0]);
}

function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  for (const [name, dir] of LAYERS) {
    if (rel === dir || rel.startsWith(dir + '/')) return name;
  }
  return undefined;
}

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0];
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the import direction between architecture layers' },
    schema: [],
    messages: {
      layer: "'{{from}}' code may not import '{{to}}' code ({{spec}}): allowed are {{allowed}}.",
      pkg: "'{{from}}' code may not import the package '{{spec}}'.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    const isTest = /\.test\.tsx?$/.test(file);
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const to = layerOf(path.resolve(path.dirname(file), spec));
        if (to && !ALLOWED[from].includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, spec, allowed: ALLOWED[from].join(', ') } });
        }
        return;
      }
      const forbidden = FORBIDDEN_PACKAGES[from];
      if (isTest && packageName(spec) === 'vitest') return;
      if (forbidden && forbidden(packageName(spec))) {
        context.report({ node, messageId: 'pkg', data: { from, spec } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
