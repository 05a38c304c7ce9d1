// jemalloc's options for every tnohaku program, read by jemalloc at its first allocation
// (linked only into the programs, not into sanitizer builds: see tnohaku_allocator in the
// top CMakeLists.txt). The variable is jemalloc's documented way for a program to set its
// defaults; the MALLOC_CONF environment variable still overrides them at run time.
//
// Why these values (measured at 100k records, the server under wrk with 8 and 64
// connections; bench/analysis.md): jemalloc's defaults (4 arenas per core, 32 KiB thread
// caches, 10 s before freed pages go back) gave the server +40 % requests/s over glibc's
// malloc but +50 % peak RSS, with one cache per each of the 64 HTTP threads. Two arenas
// (one per searcher core), small thread caches and a quick return of freed pages keep the
// speed and bring the peak within 10 % of glibc's. A background thread returns freed pages
// while the program is idle: the server's column store build leaves its temporaries
// behind (1M records: 102 MB just started with it, 122 MB without; the peak under load is
// the same).
#include <jemalloc/jemalloc.h>

const char* malloc_conf =
    "narenas:2,tcache_max:1024,dirty_decay_ms:250,muzzy_decay_ms:0,background_thread:true";
