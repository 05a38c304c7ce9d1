// One PTV service (open API JSON, v9 to v11) → one tnohaku record.
//
// What is read (the full mapping is in importer/README.md):
//   names ("Name", else "AlternativeName"; other alternative names become keywords),
//   summary ("Summary" or "ShortDescription") and description ("Description") in fi, sv
//   and en, as plain text (text.h); target groups (KR codes) and service classes (P codes)
//   known to the vocabulary; the area (Nationwide and NationwideExceptAlandIslands →
//   national, municipalities, regions); organisations (responsible → coordinator, producer
//   → provider, named from the organisation files when given); charge type; service
//   languages; keywords; the modified date; and from the linked channels: channel codes,
//   locations, opening hours and a web address.
// Unknown codes are dropped with a warning; the record is kept.
//
// Thread safety: pure apart from the messages it reports.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "core/vocab.h"
#include "importer/diagnostics.h"
#include "importer/ptv_channel.h"
#include "importer/sourced_record.h"

namespace tnohaku::importer {

struct ServiceContext {
    const Vocabulary& vocab;
    const std::map<std::string, std::string>& organisation_names;  // PTV organisation id → name
    std::string source_name;  // e.g. "PTV (Suomi.fi-palvelutietovaranto) open API v9"
    Diagnostics& diag;
    ItemRef ref;  // the file; ptv_id is filled in by ReadService
};

// The ids (lower case) of the channels a service lists in its serviceChannels.
std::vector<std::string> ListedChannelIds(const rapidjson::Value& service);

// The record of a service linked to `channels` (each used once, in the order given).
// nullopt, with a skip reported, when the service has no usable id or is not published.
std::optional<SourcedRecord> ReadService(const rapidjson::Value& service,
                                         const std::vector<const PtvChannel*>& channels,
                                         ServiceContext ctx);

}  // namespace tnohaku::importer
