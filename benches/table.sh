#!/bin/sh
# The one benchmark table (issue 12): runs every benchmark once, in one go, and prints one
# markdown table of their results with the machine they ran on. Ratios within a row come from
# the same run. Every row says how to rerun it alone. Takes about ten minutes on two cores
# (building the 2,000,000-tweet archive the first time adds a few); needs `unzip` and
# `/usr/bin/time` (`apt-get install unzip time`).
#
# Usage: benches/table.sh            (the full table, also written to target/bench-table.md)
#        nice -n 10 benches/table.sh (on a shared machine)
set -u
cd "$(dirname "$0")/.."
log=target/bench-table.log
mkdir -p target
: >"$log"

# One benchmark; its output goes to the log, its TABLE lines to the table.
bench() {
    echo "== cargo bench --bench $*" >&2
    if ! cargo bench --quiet --bench "$@" >>"$log" 2>&1; then
        printf 'TABLE\t`cargo bench --bench %s`\tFAILED (see %s)\t\t\n' "$*" "$log" >>"$log"
    fi
}

bench archive -- 200000
bench archive -- 2000000
bench extract
bench verify
bench follow
bench post
bench post_send

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
{
    echo "Measured $(date -u +%Y-%m-%d) on ${cpu:-an unknown CPU}, $(nproc) cores, $mem RAM," \
        "$(uname -sr), $(rustc -V | cut -d' ' -f1-2), release build; with \`benches/table.sh\`."
    echo
    echo "| what | measured | goal | rerun this row |"
    echo "|---|---|---|---|"
    grep '^TABLE' "$log" | cut -f2- | sed 's/\t/ | /g; s/^/| /; s/$/ |/'
} | tee target/bench-table.md
