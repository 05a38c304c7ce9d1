// The `ptv-json` input: PTV (Suomi.fi-palvelutietovaranto) open API JSON, v9 to v11.
//
// INPUT is a folder, searched recursively for *.json files (in path order), or one such
// file. Each file may hold a service, a service channel or an organisation, a list of
// them, a list page ({"itemList":[…]} or similar) or an object of them keyed by id; every
// service becomes one record (ptv_service.h). Channels are linked to services both ways
// (a service lists its channels, a channel lists its services); organisations name the
// organisations services link to. The API version comes from a "v9"/"v11" folder in the
// path and goes into the record's source name.
//
// Files that are not JSON or hold no PTV object are skipped with a message (and count as
// skipped items); a missing or unreadable INPUT is an error.
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

// "PTV (Suomi.fi-palvelutietovaranto) open API" with " v9" etc. when the version is known.
std::string PtvApiSourceName(const std::string& version);

// One record per service, in file order (records of the same id are not merged here).
Result<std::vector<SourcedRecord>> ReadPtvJson(const std::string& input, const Vocabulary& vocab,
                                               Diagnostics& diag);

}  // namespace tnohaku::importer
