#include "importer/ptv_channel.h"

#include "core/json_util.h"
#include "importer/ptv_fields.h"
#include "importer/ptv_hours.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

bool IsWebAddress(const std::string& url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// The first http(s) address among the channel's web pages, preferring fi, then sv, en,
// then any language.
std::string FirstUrl(const rapidjson::Value& json) {
    const rapidjson::Value* pages = ArrayMember(json, "webPages");
    if (!pages) return {};
    for (std::string_view lang : {"fi", "sv", "en", ""}) {
        for (const auto& page : pages->GetArray()) {
            std::string url = Trim(json::GetString(page, "url"));
            if (IsWebAddress(url) &&
                (lang.empty() || AsciiLower(json::GetString(page, "language")) == lang))
                return url;
        }
    }
    return {};
}

std::vector<std::string> ServiceIds(const rapidjson::Value& json) {
    std::vector<std::string> ids;
    const rapidjson::Value* services = ArrayMember(json, "services");
    if (!services) return ids;
    for (const auto& link : services->GetArray()) {
        const rapidjson::Value* service = ObjectMember(link, "service");
        std::string id =
            service ? AsciiLower(Trim(json::GetString(*service, "id"))) : std::string();
        if (!id.empty()) ids.push_back(id);
    }
    return ids;
}

bool SameLocation(const Location& a, const Location& b) {
    return a.name == b.name && a.address == b.address && a.postal_code == b.postal_code;
}

}  // namespace

std::string ChannelCode(std::string_view ptv_type) {
    if (ptv_type == "ServiceLocation") return "face-to-face";
    if (ptv_type == "Phone") return "phone";
    if (ptv_type == "EChannel" || ptv_type == "WebPage") return "online";
    return {};
}

PtvChannel ReadChannel(const rapidjson::Value& json, const LocationContext& ctx) {
    PtvChannel channel;
    channel.id = AsciiLower(Trim(json::GetString(json, "id")));
    channel.ptv_type = json::GetString(json, "serviceChannelType");
    channel.channel_code = ChannelCode(channel.ptv_type);
    channel.name = ToLangText(LocalizedList(json, "serviceChannelNames", "Name"));
    if (channel.name.empty()) channel.name = ToLangText(LocalizedList(json, "serviceChannelNames"));
    channel.hours = FormatServiceHours(json);
    channel.url = FirstUrl(json);
    channel.service_ids = ServiceIds(json);
    const rapidjson::Value* addresses = ArrayMember(json, "addresses");
    if (channel.ptv_type != "ServiceLocation" || !addresses) return channel;
    for (const auto& address : addresses->GetArray()) {
        auto location = ReadLocation(address, FirstOf(channel.name), ctx);
        if (!location) continue;
        bool seen = false;
        for (const auto& other : channel.locations) seen = seen || SameLocation(other, *location);
        if (!seen) channel.locations.push_back(std::move(*location));
    }
    return channel;
}

}  // namespace tnohaku::importer
