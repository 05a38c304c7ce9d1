// RunServer: tnohaku-server from parsed flags to exit code. Opens the vocabularies, the
// index (a SearcherPool), the logs and the HTTP server, serves until SIGTERM/SIGINT, and
// stops gracefully.
#pragma once

#include "server/options.h"

namespace tnohaku::server {

// Returns kExitOk after a signal stopped the server, kExitFailure when something could
// not be opened (the message is on stderr).
int RunServer(const ServerOptions& options);

}  // namespace tnohaku::server
