// tnohaku-server: the HTTP JSON API over a tnohaku index. Everything but the flags lives
// in tnohaku_server_lib (server/app.h), which the tests link too.
#include <malloc.h>

#include <cstdio>

#include "server/app.h"
#include "server/options.h"

int main(int argc, char** argv) {
    using namespace tnohaku::server;
    // Blocks of 64 KiB and more (docid sets: 125 KiB per million documents; responses of
    // 100-200 KiB) get pages of their own, returned to the system when freed. glibc's
    // default threshold grows to 32 MiB as such blocks are freed, after which they come
    // from the heap, where churn under load strands freed pages: at 1M records the peak
    // RSS under 64 connections was 237 MB with the default and 206 MB with this.
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    auto options = ParseServerOptions(argc, argv);
    if (!options.ok()) {
        std::fprintf(stderr, "tnohaku-server: %s\n\n%s", options.status().message().c_str(),
                     ServerUsage().c_str());
        return kExitUsage;
    }
    if (options->help) {
        std::fputs(ServerUsage().c_str(), stdout);
        return kExitOk;
    }
    return RunServer(*options);
}
