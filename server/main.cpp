// tnohaku-server: the HTTP JSON API over a tnohaku index. Everything but the flags lives
// in tnohaku_server_lib (server/app.h), which the tests link too.
#include <cstdio>

#include "server/app.h"
#include "server/options.h"

int main(int argc, char** argv) {
    using namespace tnohaku::server;
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
