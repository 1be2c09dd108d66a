// Builds the spandsp addon (native/spandsp) with node-gyp; run by `npm ci`
// through the package's install script. node-gyp normally downloads the
// Node headers; the machines this runs on reach no such download, so the
// headers of the running Node are used (official tarballs and Debian's
// nodejs both ship them under <prefix>/include/node). The Debian packages
// it links against (libspandsp-dev, libtiff-dev, a C++ compiler) come from
// scripts/setup.sh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = ['rebuild', `--directory=${path.join(root, 'native', 'spandsp')}`];
const prefix = path.dirname(path.dirname(process.execPath));
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
// npm names its bundled node-gyp in npm_config_node_gyp; otherwise one on PATH.
const gyp = process.env.npm_config_node_gyp;
const result = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { stdio: 'inherit' })
  : spawnSync('node-gyp', args, { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    'callplane: building the spandsp fax addon failed; install its Debian packages with ' +
      "'bash scripts/setup.sh' (libspandsp-dev libtiff-dev g++ make python3 pkg-config) and run npm ci again",
  );
  process.exit(result.status ?? 1);
}
