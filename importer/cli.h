// The tnohaku-import command line: arguments → import run → records on `out`, messages on
// `err`, and the exit code. main() only forwards to RunCli, so that the tests can run the
// whole program in-process as well as the built binary.
//
//   tnohaku-import [--quiet] FORMAT INPUT [FORMAT INPUT ...] > records.jsonl
//
// Exit codes: 0 every item imported; 2 some items skipped (each one reported); 1 failure
// (bad arguments, unknown format, an input that cannot be read): then nothing is written.
//
// Thread safety: one call at a time per pair of streams.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tnohaku::importer {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitSkipped = 2;

// `args` are the arguments after the program name.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The --help text.
std::string UsageText();

}  // namespace tnohaku::importer
