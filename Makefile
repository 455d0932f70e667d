# The README's two commands: `make serve` (build the page and serve it) and `make test` (every test).
.PHONY: serve test setup pkg bench

serve:
	scripts/serve.sh

test:
	scripts/test.sh

setup:
	scripts/setup.sh

bench:
	cargo bench --bench validate --bench lint --bench advise --bench hostile

pkg:
	scripts/build-pkg.sh
