// Regenerates src/ankify/data/mathjax-tex.json: every TeX macro, environment and delimiter that
// MathJax 3's TeX input defines across all its packages (what Anki renders math with).
//
//   npm install --no-save mathjax-full@3.2.2 && node scripts/mathjax-commands.mjs > src/ankify/data/mathjax-tex.json
//
// The maps live in a closure of MapHandler, so we record them as the packages register them.
import {createRequire} from 'module';
const require = createRequire(import.meta.url);
const {MapHandler} = require('mathjax-full/js/input/tex/MapHandler.js');
const registered = new Map();
const original = MapHandler.register;
MapHandler.register = (map) => { registered.set(map.name, map); return original(map); };
const {AllPackages} = require('mathjax-full/js/input/tex/AllPackages.js');
const {ConfigurationHandler} = require('mathjax-full/js/input/tex/Configuration.js');
const version = require('mathjax-full/package.json').version;
const kinds = {macro: new Set(), environment: new Set(), delimiter: new Set()};
const packages = [];
for (const name of AllPackages) {
  const conf = ConfigurationHandler.get(name);
  if (!conf) continue;
  packages.push(name);
  for (const kind of Object.keys(kinds)) {
    for (const mapName of conf.handler[kind] || []) {
      const map = registered.get(mapName);
      if (!map || !map.map) continue;
      for (const key of map.map.keys()) kinds[kind].add(key);
    }
  }
}
const out = {mathjax: version, packages: packages.sort(),
  macros: [...kinds.macro].sort(), environments: [...kinds.environment].sort(), delimiters: [...kinds.delimiter].sort()};
process.stdout.write(JSON.stringify(out, null, 0) + "\n");
