/* global module */
// Used only by `pnpm deploy` (tools/ops/docker/deploy-app.sh). Some published packages (e.g.
// @nestjs/terminus 12.1) ship `catalog:` specs in their devDependencies, which pnpm 9's deploy
// tries to resolve and fails on; a production deploy never installs a dependency's
// devDependencies, so they are dropped before resolution.
module.exports = {
  hooks: {
    readPackage(pkg) {
      if (!String(pkg.name ?? '').startsWith('@dentalos/')) pkg.devDependencies = {};
      return pkg;
    },
  },
};
