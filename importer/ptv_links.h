// What a PTV service takes from what it links to: its organisations and its channels.
//
// Organisations: roleType Responsible and OtherResponsible → coordinator, Producer →
// provider. The name comes from the organisation files of the input when there is one,
// else from the link itself, else from the link's additional information (producers
// outside PTV are described there); a link with no name at all is left out with a warning.
//
// Channels: each linked channel adds its channel code (in the vocabulary's order), its
// locations, its opening hours ("Channel name: ma–pe 8.00–16.00", one line per channel,
// in the languages the record has a name in) and, for the record's contact address, the
// first web address of a WebPage channel, else of an EChannel, else of any channel.
//
// Thread safety: pure apart from the messages it reports.
#pragma once

#include <vector>

#include <rapidjson/document.h>

#include "core/record.h"
#include "importer/ptv_channel.h"
#include "importer/ptv_service.h"

namespace tnohaku::importer {

std::vector<Organisation> ReadOrganisations(const rapidjson::Value& service,
                                            const ServiceContext& ctx);

// Adds channels, locations, service hours and the contact web address to `record`.
void AddChannels(const std::vector<const PtvChannel*>& channels, const Vocabulary& vocab,
                 Record& record);

}  // namespace tnohaku::importer
