#include "importer/ptv_links.h"

#include <algorithm>

#include "core/json_util.h"
#include "importer/ptv_fields.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

constexpr size_t kShortTextMax = 300;

std::string Role(std::string_view role_type) {
    if (role_type == "Responsible" || role_type == "OtherResponsible") return "coordinator";
    if (role_type == "Producer") return "provider";
    return {};
}

bool SameLocation(const Location& a, const Location& b) {
    return a.name == b.name && a.address == b.address && a.postal_code == b.postal_code;
}

// The contact web address: a WebPage channel's, else an EChannel's, else any channel's.
std::string ContactUrl(const std::vector<const PtvChannel*>& channels) {
    for (std::string_view type : {"WebPage", "EChannel", ""}) {
        for (const PtvChannel* c : channels) {
            if (!c->url.empty() && c->url.size() <= 2000 && (type.empty() || c->ptv_type == type))
                return c->url;
        }
    }
    return {};
}

}  // namespace

std::vector<Organisation> ReadOrganisations(const rapidjson::Value& service,
                                            const ServiceContext& ctx) {
    std::vector<Organisation> out;
    const rapidjson::Value* links = ArrayMember(service, "organizations");
    if (!links) return out;
    for (const auto& link : links->GetArray()) {
        std::string role_type = json::GetString(link, "roleType");
        Organisation org{{}, {}, Role(role_type)};
        if (org.role.empty()) {
            ctx.diag.Warn(ctx.ref.Prefix() +
                          "organizations: left out an organisation with the role '" + role_type +
                          "'");
            continue;
        }
        if (const rapidjson::Value* o = ObjectMember(link, "organization")) {
            org.id = AsciiLower(Trim(json::GetString(*o, "id")));
            auto known = ctx.organisation_names.find(org.id);
            org.name = known != ctx.organisation_names.end() ? known->second
                                                             : Trim(json::GetString(*o, "name"));
        }
        if (org.id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
            org.id.clear();
        if (org.name.empty())
            org.name = FirstOf(ToLangText(LocalizedList(link, "additionalInformation")));
        org.name = Truncate(PlainText(org.name), kShortTextMax);
        if (org.name.empty()) {
            ctx.diag.Warn(ctx.ref.Prefix() + "organizations: left out a " + role_type +
                          " link that names no organisation");
            continue;
        }
        bool seen = std::any_of(out.begin(), out.end(), [&](const Organisation& o) {
            return o.id == org.id && o.name == org.name && o.role == org.role;
        });
        if (!seen) out.push_back(std::move(org));
    }
    return out;
}

void AddChannels(const std::vector<const PtvChannel*>& channels, const Vocabulary& vocab,
                 Record& record) {
    for (const Code& code : vocab.Codes(Facet::kChannel)) {
        bool used = std::any_of(channels.begin(), channels.end(),
                                [&](const PtvChannel* c) { return c->channel_code == code.code; });
        if (used) record.channels.push_back(code.code);
    }
    for (const PtvChannel* c : channels) {
        for (const Location& location : c->locations) {
            bool seen = std::any_of(record.locations.begin(), record.locations.end(),
                                    [&](const Location& l) { return SameLocation(l, location); });
            if (!seen) record.locations.push_back(location);
        }
        for (Lang lang : kAllLangs) {
            if (record.name[lang].empty() || c->hours[lang].empty()) continue;
            std::string name = c->name.Display(lang);
            std::string line = (name.empty() ? "" : name + ": ") + c->hours[lang];
            record.service_hours[lang] += (record.service_hours[lang].empty() ? "" : "\n") + line;
        }
    }
    record.contact.url = ContactUrl(channels);
}

}  // namespace tnohaku::importer
