// PTV service channels: how a service is reached (a place, a phone line, a web service),
// read from the open API's service channel JSON (v9 to v11).
//
// A channel contributes to each service it is linked to: its channel code (ServiceLocation
// → face-to-face, Phone → phone, EChannel and WebPage → online; PrintableForm has no code
// in channels.json and adds none), the locations of a service location (ptv_location.h),
// its regular opening hours (ptv_hours.h) and a web address.
//
// Thread safety: ReadChannel is a pure function apart from the messages it reports.
#pragma once

#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "core/record.h"
#include "importer/ptv_location.h"

namespace tnohaku::importer {

struct PtvChannel {
    std::string id;            // the PTV uuid, lower case
    std::string ptv_type;      // serviceChannelType as written ("ServiceLocation", …)
    std::string channel_code;  // the channels.json code, or "" when the type has none
    LangText name;
    std::vector<Location> locations;       // service locations only
    LangText hours;                        // regular opening hours; empty when not given
    std::string url;                       // the first http(s) web page, fi first; may be ""
    std::vector<std::string> service_ids;  // the services the channel lists, lower case
};

// The channels.json code of a PTV serviceChannelType; "" when there is none.
std::string ChannelCode(std::string_view ptv_type);

// Reads one service channel object. `ctx.ref` names the channel in messages.
PtvChannel ReadChannel(const rapidjson::Value& json, const LocationContext& ctx);

}  // namespace tnohaku::importer
