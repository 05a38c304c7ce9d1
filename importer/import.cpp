#include "importer/import.h"

#include "core/validate.h"
#include "importer/merge.h"
#include "importer/ptv_export.h"
#include "importer/ptv_json.h"

namespace tnohaku::importer {
namespace {

Result<std::vector<SourcedRecord>> ReadInput(const ImportInput& input, const Vocabulary& vocab,
                                             Diagnostics& diag) {
    if (input.format == "ptv-json") return ReadPtvJson(input.path, vocab, diag);
    if (input.format == "ptv-export") return ReadPtvExport(input.path, vocab, diag);
    std::string known;
    for (const auto& format : KnownFormats()) known += (known.empty() ? "" : ", ") + format;
    return Status::InvalidArgument("unknown format '" + input.format + "' (known: " + known + ")");
}

// The record's canonical JSON when it validates; "" with its problems reported otherwise.
std::string ValidatedJson(const SourcedRecord& item, const Vocabulary& vocab, Diagnostics& diag) {
    std::string json = RecordToJson(item.record);
    ParsedRecord parsed = ParseAndValidate(json, vocab);
    if (parsed.ok()) return json;
    ItemRef ref{item.origin, item.ptv_id};
    std::vector<std::string> problems;
    for (const FieldError& e : parsed.errors) {
        problems.push_back(ref.Prefix() + "field '" + e.field + "': " + e.reason);
    }
    for (size_t i = 0; i + 1 < problems.size(); ++i) diag.Warn(problems[i]);
    diag.Skip(problems.back() + " (record skipped)");
    return {};
}

}  // namespace

const std::vector<std::string>& KnownFormats() {
    static const std::vector<std::string> formats = {"ptv-json", "ptv-export"};
    return formats;
}

Result<ImportOutput> RunImport(const std::vector<ImportInput>& inputs, const Vocabulary& vocab,
                               Diagnostics& diag) {
    ImportOutput out;
    std::vector<SourcedRecord> all;
    for (const ImportInput& input : inputs) {
        TRY_ASSIGN(std::vector<SourcedRecord> records, ReadInput(input, vocab, diag));
        for (auto& record : records) {
            ++out.summary.read_per_source[record.record.source.name];
            all.push_back(std::move(record));
        }
    }
    MergeStats stats;
    std::vector<SourcedRecord> merged = MergeById(std::move(all), &stats);
    out.summary.merged_ids = stats.merged_ids;
    out.summary.across_sources = stats.across_sources;
    for (const SourcedRecord& item : merged) {
        std::string json = ValidatedJson(item, vocab, diag);
        if (json.empty()) {
            ++out.summary.invalid;
        } else {
            out.lines.push_back(std::move(json));
        }
    }
    out.summary.written = out.lines.size();
    return out;
}

std::string DescribeSummary(const ImportSummary& summary, size_t skipped) {
    std::string read;
    for (const auto& [source, count] : summary.read_per_source) {
        read += (read.empty() ? "" : "; ") + source + ": " + std::to_string(count);
    }
    return "wrote " + std::to_string(summary.written) + " records (read " +
           (read.empty() ? "none" : read) + "); " + std::to_string(summary.merged_ids) +
           " ids merged from several items, " + std::to_string(summary.across_sources) +
           " of them across sources; " + std::to_string(skipped) + " items skipped";
}

}  // namespace tnohaku::importer
