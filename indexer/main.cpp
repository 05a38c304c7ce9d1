// tnohaku-index: builds or updates the search index from JSONL records. Everything but
// the argument handling lives in the tnohaku_indexing library (indexer/indexing.h).
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "indexer/indexing.h"
#include "indexer/options.h"

int main(int argc, char** argv) {
    using namespace tnohaku::indexer;
    auto command_line = ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!command_line.ok()) {
        std::cerr << "tnohaku-index: " << command_line.status().message()
                  << "\nTry 'tnohaku-index --help'.\n";
        return kExitFailure;
    }
    if (command_line->help) {
        std::cout << HelpText();
        return kExitOk;
    }
    IndexOptions& options = command_line->options;
    options.progress = !options.quiet && ::isatty(STDERR_FILENO);
    // Xapian reads this when it opens a database for writing: the only way to ask it for
    // changesets (which xapian-replicate-server sends to replicas).
    if (options.changesets) {
        ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(options.changesets).c_str(), 1);
    }
    return RunIndexer(options, std::cerr);
}
