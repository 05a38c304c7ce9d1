#include "importer/cli.h"

#include <ostream>

#include "core/vocab.h"
#include "importer/import.h"

namespace tnohaku::importer {
namespace {

constexpr const char* kProgram = "tnohaku-import";

struct CliOptions {
    bool help = false;
    bool quiet = false;
    std::vector<ImportInput> inputs;
};

Result<CliOptions> ParseArgs(const std::vector<std::string>& args) {
    CliOptions options;
    std::vector<std::string> positional;
    for (const std::string& arg : args) {
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--quiet" || arg == "-q") {
            options.quiet = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            return Status::InvalidArgument("unknown option '" + arg + "' (see --help)");
        } else {
            positional.push_back(arg);
        }
    }
    if (options.help) return options;
    if (positional.empty() || positional.size() % 2 != 0) {
        return Status::InvalidArgument("expected FORMAT INPUT pairs (see --help)");
    }
    for (size_t i = 0; i < positional.size(); i += 2)
        options.inputs.push_back({positional[i], positional[i + 1]});
    return options;
}

}  // namespace

std::string UsageText() {
    return R"(Usage: tnohaku-import [--quiet] FORMAT INPUT [FORMAT INPUT ...] > records.jsonl

Converts service catalogue data into tnohaku records (JSON lines, one record a line,
sorted by id). Several inputs may be given; records of the same PTV service (same PTV id)
from several inputs or lines are merged into one: the richest text wins, areas, codes,
keywords, organisations and locations are united.

Formats:
  ptv-json DIR     PTV (Suomi.fi-palvelutietovaranto) open API JSON, v9 to v11: a folder
                   searched recursively for *.json files (services, service channels,
                   organisations; single objects, lists, list pages), or one such file.
  ptv-export FILE  The PTV export as JSON lines: ptv_id, name, summary (Finnish),
                   scope ("national" or a municipality code) and labels.

Every record is checked against the record schema and the vocabularies before it is
written; invalid records are skipped and reported. Unknown codes are dropped with a
warning and the record is kept.

Options:
  -q, --quiet      Report only skipped items and errors (no warnings, no summary).
  -h, --help       Show this help.

Exit codes:
  0  every item imported
  2  some items skipped (each reported on stderr as FILE[:LINE]: ptv_id=...: why)
  1  failure: bad arguments, unknown format, an input that cannot be read (nothing written)
)";
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Result<CliOptions> options = ParseArgs(args);
    if (!options.ok()) {
        err << kProgram << ": " << options.status().message() << "\n";
        return kExitFailure;
    }
    if (options->help) {
        out << UsageText();
        return kExitOk;
    }
    auto vocab = Vocabulary::LoadEmbedded();
    if (!vocab.ok()) {
        err << kProgram << ": cannot load the vocabularies: " << vocab.status().message() << "\n";
        return kExitFailure;
    }
    Diagnostics diag;
    Result<ImportOutput> result = RunImport(options->inputs, **vocab, diag);
    for (const auto& message : diag.messages()) {
        if (message.skip || !options->quiet) err << message.text << "\n";
    }
    if (!result.ok()) {
        err << kProgram << ": " << result.status().message() << "\n";
        return kExitFailure;
    }
    for (const std::string& line : result->lines) out << line << '\n';
    out.flush();
    if (!out) {
        err << kProgram << ": cannot write the records\n";
        return kExitFailure;
    }
    if (!options->quiet)
        err << kProgram << ": " << DescribeSummary(result->summary, diag.skipped()) << "\n";
    return diag.skipped() > 0 ? kExitSkipped : kExitOk;
}

}  // namespace tnohaku::importer
