#!/bin/sh
# Runs fuzz targets one after another (the fuzzer takes one core each), each for SECONDS
# (default 600), starting from the committed seeds plus what earlier runs found.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (no target: all of them)
# FUZZ_FLAGS adds libFuzzer flags, e.g. FUZZ_FLAGS=-max_len=1048576 for long inputs.
# Crashes land in fuzz/artifacts/<target>/; the last lines of each run in fuzz/logs/.
set -u
cd "$(dirname "$0")"
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-$(RUSTC_BOOTSTRAP=1 cargo fuzz list)}
mkdir -p logs
for target in $targets; do
    mkdir -p "corpus/$target"
    # The archive reader inflates on a scoped thread; LeakSanitizer sometimes sees the thread's
    # exit bookkeeping (32 bytes from __cxa_thread_atexit_impl) before the thread is gone and
    # calls it a leak. It does not reproduce on the input alone, so leak checks are off there.
    extra=""
    [ "$target" = archive_zip ] && extra="-detect_leaks=0"
    echo "== $target ($seconds s)"
    RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 $extra ${FUZZ_FLAGS:-} \
        >"logs/$target.log" 2>&1
    echo "   exit $?; $(grep -E '^(stat::number_of_executed_units|Done)' "logs/$target.log" | tr '\n' ' ')"
    grep -E 'SUMMARY|Test unit written' "logs/$target.log" | sed 's/^/   /'
done
