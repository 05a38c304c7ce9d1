// One import run: read every input, merge records of the same PTV id, check each record
// against the schema and the vocabularies, and return the valid ones as sorted JSON lines.
//
// Records that fail core's ParseAndValidate are not returned: each problem is reported as
// "INPUT: ptv_id=…: field 'x': reason" and the record counts as skipped. An input that
// cannot be read at all (missing, unreadable, unknown format) fails the whole run.
//
// Thread safety: one call per thread; nothing is shared except the vocabulary, which is
// immutable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/vocab.h"
#include "importer/diagnostics.h"

namespace tnohaku::importer {

struct ImportInput {
    std::string format;  // "ptv-json" or "ptv-export"
    std::string path;
};

// The formats RunImport reads, for --help and error messages.
const std::vector<std::string>& KnownFormats();

struct ImportSummary {
    std::map<std::string, size_t> read_per_source;  // source name → records read (before merging)
    size_t merged_ids = 0;                          // ids whose records were merged into one
    size_t across_sources = 0;                      // of those, ids found in more than one source
    size_t invalid = 0;  // merged records that failed validation (not written)
    size_t written = 0;
};

struct ImportOutput {
    std::vector<std::string> lines;  // one canonical JSON record a line, sorted by id
    ImportSummary summary;
};

Result<ImportOutput> RunImport(const std::vector<ImportInput>& inputs, const Vocabulary& vocab,
                               Diagnostics& diag);

// One line for people: "wrote N records (…); M merged …; K skipped".
std::string DescribeSummary(const ImportSummary& summary, size_t skipped);

}  // namespace tnohaku::importer
