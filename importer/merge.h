// Merging the records of one PTV service read from several items: export rows repeating
// a PTV id, or the same service in the open API JSON and in the export.
//
// Records are grouped by id. The richest record of a group (most texts given across
// name, summary and description and languages; then the longest texts; then input
// order) is the base: its texts, charge, contact, hours, source and date are kept, and
// only texts and single values it lacks are taken from the others. Lists are unions:
// the area (national if any says so; regions and municipalities, sorted), codes,
// keywords, organisations and locations (in first-seen order, without repeats).
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "importer/sourced_record.h"

namespace tnohaku::importer {

struct MergeStats {
    size_t merged_ids = 0;      // ids that had more than one record
    size_t across_sources = 0;  // of those, ids whose records came from different sources
};

// One record per id, sorted by id. `stats` may be null.
std::vector<SourcedRecord> MergeById(std::vector<SourcedRecord> records, MergeStats* stats);

// Folds `other` into `base` as described above (`base` is assumed the richer one).
void MergeInto(SourcedRecord& base, const SourcedRecord& other);

// How much text a record has: (number of non-empty texts, their total length).
std::pair<size_t, size_t> TextRichness(const Record& record);

}  // namespace tnohaku::importer
