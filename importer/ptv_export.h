// The `ptv-export` input: the PTV export converted to JSON lines (data/ptv-export), one
// service per line:
//   {"ptv_id": "…", "name": "…", "summary": "…", "scope": "national" | "853",
//    "labels": ["opiskelu tai työ", …]}
// Each line becomes a record with a Finnish name and summary, the area national or the
// one municipality of `scope`, and the labels other than "EI MUKAAN" ("not included") as
// keywords. Lines repeating a PTV id are not merged here (merge.h does that).
//
// A line that is not JSON or lacks a PTV id or name is skipped with a message naming
// file:line; a missing or unreadable file is an error.
//
// Thread safety: one call per thread; nothing is shared.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/vocab.h"
#include "importer/diagnostics.h"
#include "importer/sourced_record.h"

namespace tnohaku::importer {

inline constexpr const char* kPtvExportSourceName = "PTV export";

Result<std::vector<SourcedRecord>> ReadPtvExport(const std::string& path, const Vocabulary& vocab,
                                                 Diagnostics& diag);

}  // namespace tnohaku::importer
