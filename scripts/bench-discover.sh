#!/usr/bin/env bash
# Discovery's budgets (issue 15), against the loopback fixtures started by the bench itself
# (benches/discover.rs says what each figure measures):
#   - one discovery ≤ 1.2× the slowest single lookup it waited for (DNS delayed 300 ms), median of 11;
#   - a batch of 10,000 domains at ≥ 500 domains/s, with flat memory (RSS sampled every 250 ms;
#     the last quarter's median ≤ 1.5× the first's) and exactly the totals the zone holds (no
#     lookup lost to a timeout).
# Prints the figures, the CPU per domain of the product and of the fixtures, and the trace; exits
# non-zero when a budget is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
cargo bench --bench discover 2>/dev/null | tee "$out"
ratio=$(sed -n 's/.*median ratio \([0-9.]*\).*/\1/p' "$out")
rate=$(sed -n 's/.* s, \([0-9]*\) domains\/s.*/\1/p' "$out")
rss=$(sed -n 's/.*(ratio \([0-9.]*\)).*/\1/p' "$out")
totals=$(sed -n 's/^  totals \([a-zA-Z]*\):.*/\1/p' "$out")
rm -f "$out"
fail=0
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.2) }' || { echo "FAIL: latency ratio $ratio > 1.2"; fail=1; }
awk -v r="$rate" 'BEGIN { exit !(r >= 500) }' || { echo "FAIL: $rate domains/s < 500"; fail=1; }
awk -v r="$rss" 'BEGIN { exit !(r <= 1.5) }' || { echo "FAIL: RSS grew by $rss× during the batch"; fail=1; }
[ "$totals" = correct ] || { echo "FAIL: the batch's totals are $totals (lookups lost?)"; fail=1; }
[ "$fail" = 0 ] && echo "discovery budgets: ok (ratio $ratio, $rate domains/s, RSS last/first $rss, totals $totals)"
exit "$fail"
