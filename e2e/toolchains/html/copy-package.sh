# MAILSETUP_TGZ: the package's tarball (`npm pack` in mailsetup's pkg/), e.g. mailsetup-0.1.0.tgz.
# The browser files only: no README.md, package.json or .d.ts to end up published with the site.
mkdir -p site/mailsetup
tar -xzf "$MAILSETUP_TGZ" -C site/mailsetup --strip-components=1 --wildcards 'package/*.js' 'package/*.wasm' 'package/rules.*'
