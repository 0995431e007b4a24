# Sourced by .ci/run: `use_node 22` puts a Node of that major line first on PATH. The `node` found first on PATH
# is used when it is already on that line; otherwise the npm registry's `node-linux-<arch>` package of that line
# (the official build, with its headers) is installed into a cache, so nothing comes from outside the registries.
# npm_config_nodedir points node-gyp at those headers, so native modules build for that Node without a download.
use_node() {
  local major=$1
  if [ "$(node -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
    local arch
    arch=$(node -p 'process.arch')
    local dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/roundtable-ci/node-$major-$arch"
    if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
      mkdir -p "$dir"
      npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --silent "node-linux-$arch@$major"
    fi
    export PATH="$dir/node_modules/node-linux-$arch/bin:$PATH"
    export npm_config_nodedir="$dir/node_modules/node-linux-$arch"
  fi
  echo "Node $(node --version), npm $(npm --version)"
}
