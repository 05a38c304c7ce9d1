// tnohaku-import: converts PTV service data into tnohaku records (JSON lines on stdout).
// Everything happens in the tnohaku_importer library (importer/cli.h); see --help.
#include <iostream>
#include <string>
#include <vector>

#include "importer/cli.h"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    return tnohaku::importer::RunCli(args, std::cout, std::cerr);
}
