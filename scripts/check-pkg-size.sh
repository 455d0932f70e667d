#!/usr/bin/env bash
# check-pkg-size.sh — the WebAssembly size budgets, gzip -9 compressed. Run after build-pkg.sh.
# Prints the sizes; exits 1 when a module is over its budget.
#
#   pkg/mailsetup_bg.wasm            the main module: validate, defineProvider, providers,
#                                    lookupProvider, loadProviders, version. What every embedded
#                                    element loads. Budget 100,000 bytes (issue 4).
#   pkg/provider-table.js            the provider table (182 providers, their facts and sources
#                                    without quotes), the default export of a JS module that
#                                    wasm.js hands to loadProviders() of each module it loads;
#                                    guarded at 60,000 bytes against growth.
#   pkg/mailsetup_advice_bg.wasm     the advice module: the main module's API and advise, which
#                                    a page that asks "which protocol?" loads instead of the main
#                                    one. Guarded at 125,000 bytes against growth.
#   pkg/mailsetup_documents_bg.wasm  the documents module, loaded only by the rules page and on a
#                                    first download: rules() documentation, exportConfig,
#                                    lintAutoconfig (they validate, so the rules and the provider
#                                    code are in it too). Guarded at 195,000 bytes against growth:
#                                    it was 150,000 until issue 13 made lint read documents as
#                                    Thunderbird desktop and Android do (the client models, the XML
#                                    1.0 character checks, the export refusals: 148,249 -> 163,823),
#                                    then 175,000; issue 11 phase 2 adds reading and typing the
#                                    providers, which exports and lint need now that no module
#                                    carries the table (163,823 -> 181,083), then 185,000; issue 17
#                                    adds importAutoconfig (an organisation's own autoconfig file
#                                    in the elements, +1.8 KB) and issue 14 the total JS functions
#                                    of the boundary and the lookalike rules (181,083 -> 185,769).
#                                    Then 190,000; the audit's 15 C rules in the catalog (the rules
#                                    page documents every code a report links to) add their
#                                    documentation: 185,830 -> 189,631.
#   pkg/mailsetup_discovery_bg.wasm  the discovery module, loaded only when a page looks a domain up
#                                    (PageDiscovery: DNS-over-HTTPS, the plan and analysis of
#                                    discovery, which validate and read documents, so the rules,
#                                    the provider code and the XML reader are in it, and the Public
#                                    Suffix List as data). Guarded at 230,000 bytes against
#                                    growth (198,421 when it was added; 214,620 once it reads the
#                                    provider table at run time, as the documents module does).
#
# WASM_GZIP_BUDGET, PROVIDERS_GZIP_BUDGET, ADVICE_GZIP_BUDGET, DOCUMENTS_GZIP_BUDGET and
# DISCOVERY_GZIP_BUDGET override them.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

check() { # FILE BUDGET
  local wasm=$1 budget=$2 raw gz
  [ -f "$wasm" ] || { echo "check-pkg-size: $wasm missing; run scripts/build-pkg.sh" >&2; exit 2; }
  raw=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf '%-32s %7d bytes raw, %7d bytes gzip -9 (budget %d, %d%% used, %d bytes headroom)\n' \
    "$wasm" "$raw" "$gz" "$budget" $(( gz * 100 / budget )) $(( budget - gz ))
  if [ "$gz" -gt "$budget" ]; then
    echo "check-pkg-size: FAIL: $wasm is $gz bytes gzip-compressed, over the $budget-byte budget" >&2
    status=1
  fi
}

check pkg/mailsetup_bg.wasm "${WASM_GZIP_BUDGET:-100000}"
check pkg/provider-table.js "${PROVIDERS_GZIP_BUDGET:-60000}"
check pkg/mailsetup_advice_bg.wasm "${ADVICE_GZIP_BUDGET:-125000}"
check pkg/mailsetup_documents_bg.wasm "${DOCUMENTS_GZIP_BUDGET:-195000}"
check pkg/mailsetup_discovery_bg.wasm "${DISCOVERY_GZIP_BUDGET:-230000}"
js=$(gzip -9 -c pkg/mailsetup.js | wc -c)
advice_js=$(gzip -9 -c pkg/mailsetup_advice.js | wc -c)
docs_js=$(gzip -9 -c pkg/mailsetup_documents.js | wc -c)
discovery_js=$(gzip -9 -c pkg/mailsetup_discovery.js | wc -c)
# The elements: elements.js and every module it imports (each file compressed on its own, as served).
els=0; n=0
for f in pkg/*.js; do
  case $(basename "$f") in mailsetup*.js | provider-table.js | rules.js) continue ;; esac # rules.js: the rules page's script
  els=$(( els + $(gzip -9 -c "$f" | wc -c) )); n=$(( n + 1 ))
done
printf 'js: mailsetup.js %d, mailsetup_advice.js %d, mailsetup_documents.js %d, mailsetup_discovery.js %d, elements (%d modules) %d bytes gzip -9\n' "$js" "$advice_js" "$docs_js" "$discovery_js" "$n" "$els"
exit $status
