#include "importer/ptv_service.h"

#include <algorithm>
#include <set>

#include "core/json_util.h"
#include "importer/ptv_area.h"
#include "importer/ptv_fields.h"
#include "importer/ptv_links.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

// The schema's size limits (record.schema.json).
constexpr size_t kNameMax = 300, kSummaryMax = 2000, kDescriptionMax = 20000, kKeywordMax = 100;
constexpr size_t kMaxKeywords = 100, kMaxOrganisations = 50, kMaxLocations = 200;

void AddUnique(std::vector<std::string>& list, std::string value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// The texts of one type as plain text, cut to `max` code points with a warning.
LangText ReadText(const rapidjson::Value& json, std::string_view key, std::string_view type,
                  size_t max, const ServiceContext& ctx) {
    LangText text = ToLangText(LocalizedList(json, key, type));
    for (Lang lang : kAllLangs) {
        text[lang] = PlainText(text[lang]);
        if (CodePointCount(text[lang]) <= max) continue;
        ctx.diag.Warn(ctx.ref.Prefix() + std::string(type) + " (" + std::string(LangCode(lang)) +
                      ") is longer than " + std::to_string(max) + " characters: cut");
        text[lang] = Truncate(text[lang], max);
    }
    return text;
}

void ReadTexts(const rapidjson::Value& json, const ServiceContext& ctx, Record& r) {
    r.name = ReadText(json, "serviceNames", "Name", kNameMax, ctx);
    LangText alternative = ReadText(json, "serviceNames", "AlternativeName", kNameMax, ctx);
    for (Lang lang : kAllLangs) {
        if (r.name[lang].empty()) r.name[lang] = alternative[lang];
    }
    for (const auto& entry : LocalizedList(json, "serviceNames", "AlternativeName")) {
        std::string keyword = PlainText(entry.value);
        bool is_name = keyword == r.name.fi || keyword == r.name.sv || keyword == r.name.en;
        if (!is_name && CodePointCount(keyword) <= kKeywordMax) AddUnique(r.keywords, keyword);
    }
    r.summary = ReadText(json, "serviceDescriptions", "Summary", kSummaryMax, ctx);
    if (r.summary.empty())
        r.summary = ReadText(json, "serviceDescriptions", "ShortDescription", kSummaryMax, ctx);
    r.description = ReadText(json, "serviceDescriptions", "Description", kDescriptionMax, ctx);
}

// Codes of a PTV code list (targetGroups, serviceClasses) that the vocabulary knows.
std::vector<std::string> ReadCodes(const rapidjson::Value& json, std::string_view key, Facet facet,
                                   const ServiceContext& ctx) {
    std::vector<std::string> codes;
    const rapidjson::Value* list = ArrayMember(json, key);
    if (!list) return codes;
    for (const auto& entry : list->GetArray()) {
        std::string code = EntryCode(entry);
        if (ctx.vocab.Contains(facet, code)) {
            AddUnique(codes, code);
        } else {
            std::string what =
                code.empty() ? "an entry without a code (" + json::GetString(entry, "uri") + ")"
                             : "the unknown code '" + code + "'";
            ctx.diag.Warn(ctx.ref.Prefix() + std::string(key) + ": dropped " + what +
                          " (not in schema/vocab/" + std::string(VocabName(facet)) + ".json)");
        }
    }
    return codes;
}

std::vector<std::string> ReadLanguages(const rapidjson::Value& json, const ServiceContext& ctx) {
    std::vector<std::string> codes;
    for (const std::string& language : json::GetStrings(json, "languages")) {
        std::string code = AsciiLower(Trim(language));
        if (ctx.vocab.Contains(Facet::kServiceLanguage, code)) {
            AddUnique(codes, code);
        } else {
            ctx.diag.Warn(ctx.ref.Prefix() + "languages: dropped the unknown code '" + code +
                          "' (not in schema/vocab/service_languages.json)");
        }
    }
    return codes;
}

std::string Charge(std::string_view ptv_charge_type) {
    if (ptv_charge_type == "Free" || ptv_charge_type == "FreeOfCharge") return "free";
    if (ptv_charge_type == "Charged" || ptv_charge_type == "Chargeable") return "chargeable";
    return "unknown";
}

// Keywords ("a, b" entries split at commas), then the ones already there.
void ReadKeywords(const rapidjson::Value& json, const ServiceContext& ctx, Record& r) {
    for (const auto& entry : LocalizedList(json, "keywords")) {
        std::string_view rest = entry.value;
        while (!rest.empty()) {
            size_t comma = rest.find(',');
            std::string keyword = PlainText(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (keyword.empty()) continue;
            if (CodePointCount(keyword) > kKeywordMax) {
                ctx.diag.Warn(ctx.ref.Prefix() + "keywords: dropped '" + keyword +
                              "' (longer than 100 characters)");
            } else {
                AddUnique(r.keywords, keyword);
            }
        }
    }
    if (r.keywords.size() > kMaxKeywords) r.keywords.resize(kMaxKeywords);
}

}  // namespace

std::vector<std::string> ListedChannelIds(const rapidjson::Value& service) {
    std::vector<std::string> ids;
    const rapidjson::Value* links = ArrayMember(service, "serviceChannels");
    if (!links) return ids;
    for (const auto& link : links->GetArray()) {
        const rapidjson::Value* channel = ObjectMember(link, "serviceChannel");
        std::string id =
            channel ? AsciiLower(Trim(json::GetString(*channel, "id"))) : std::string();
        if (!id.empty()) AddUnique(ids, id);
    }
    return ids;
}

std::optional<SourcedRecord> ReadService(const rapidjson::Value& json,
                                         const std::vector<const PtvChannel*>& channels,
                                         ServiceContext ctx) {
    std::string id = AsciiLower(Trim(json::GetString(json, "id")));
    ctx.ref.ptv_id = id;
    if (id.empty() || id.find_first_not_of("0123456789abcdef-") != std::string::npos) {
        ctx.diag.Skip(ctx.ref.Prefix() + "a service without a PTV id (uuid): skipped");
        return std::nullopt;
    }
    std::string status = json::GetString(json, "publishingStatus");
    if (!status.empty() && status != "Published") {
        ctx.diag.Skip(ctx.ref.Prefix() + "publishing status is '" + status +
                      "', not Published: skipped");
        return std::nullopt;
    }
    SourcedRecord out{Record{}, ctx.ref.origin, id};
    Record& r = out.record;
    r.id = "ptv-" + id;
    r.type = "service";
    ReadTexts(json, ctx, r);
    r.organisations = ReadOrganisations(json, ctx);
    if (r.organisations.size() > kMaxOrganisations) r.organisations.resize(kMaxOrganisations);
    r.area = ReadArea(json, ctx);
    r.target_groups = ReadCodes(json, "targetGroups", Facet::kTargetGroup, ctx);
    r.service_classes = ReadCodes(json, "serviceClasses", Facet::kServiceClass, ctx);
    r.service_languages = ReadLanguages(json, ctx);
    ReadKeywords(json, ctx, r);
    r.charge = Charge(json::GetString(json, "serviceChargeType"));
    AddChannels(channels, ctx.vocab, r);
    if (r.locations.size() > kMaxLocations) r.locations.resize(kMaxLocations);
    r.source = {ctx.source_name, id, ""};
    r.updated = DatePart(json::GetString(json, "modified"));
    return out;
}

}  // namespace tnohaku::importer
