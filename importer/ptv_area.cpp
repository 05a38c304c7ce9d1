#include "importer/ptv_area.h"

#include <algorithm>

#include "core/json_util.h"
#include "importer/ptv_fields.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

// `code` zero-padded to `width` digits when it is a shorter number.
std::string Pad(std::string code, size_t width) {
    if (code.empty() || code.size() >= width ||
        code.find_first_not_of("0123456789") != std::string::npos)
        return code;
    return std::string(width - code.size(), '0') + code;
}

void SortUnique(std::vector<std::string>& codes) {
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
}

// The municipalities an area lists; unknown codes dropped with a warning.
void AddMunicipalities(const rapidjson::Value& area, const ServiceContext& ctx, Area& out) {
    const rapidjson::Value* list = ArrayMember(area, "municipalities");
    if (!list) return;
    for (const auto& m : list->GetArray()) {
        std::string code = Pad(Trim(json::GetString(m, "code")), 3);
        if (ctx.vocab.Contains(Facet::kMunicipality, code)) {
            out.municipalities.push_back(code);
            continue;
        }
        std::string name = FirstOf(ToLangText(LocalizedList(m, "name")));
        ctx.diag.Warn(ctx.ref.Prefix() + "areas: dropped the unknown municipality code '" + code +
                      "'" + (name.empty() ? "" : " (named " + name + ")") +
                      " (not in schema/vocab/municipalities.json)");
    }
}

bool ListsMunicipalities(const rapidjson::Value& area) {
    const rapidjson::Value* list = ArrayMember(area, "municipalities");
    return list && !list->Empty();
}

void AddArea(const rapidjson::Value& area, const ServiceContext& ctx, Area& out) {
    std::string type = json::GetString(area, "type");
    std::string code = Trim(json::GetString(area, "code"));
    if (type == "Municipality" && ListsMunicipalities(area)) {
        AddMunicipalities(area, ctx, out);
        return;
    }
    if (type == "Municipality" && ctx.vocab.Contains(Facet::kMunicipality, Pad(code, 3))) {
        out.municipalities.push_back(Pad(code, 3));  // given as the area's own code
        return;
    }
    if ((type == "Region" || type == "Province") &&
        ctx.vocab.Contains(Facet::kRegion, Pad(code, 2))) {
        out.regions.push_back(Pad(code, 2));
        return;
    }
    if (ListsMunicipalities(area)) {
        AddMunicipalities(area, ctx, out);
        return;
    }
    ctx.diag.Warn(ctx.ref.Prefix() + "areas: skipped an area of type '" + type + "'" +
                  (code.empty() ? "" : " with code '" + code + "'") +
                  " (no region or municipality code tnohaku knows, and no municipalities listed)");
}

}  // namespace

Area ReadArea(const rapidjson::Value& service, const ServiceContext& ctx) {
    Area out;
    std::string type = json::GetString(service, "areaType");
    if (type == "Nationwide" || type == "NationwideExceptAlandIslands") {
        out.national = true;
        return out;
    }
    if (const rapidjson::Value* areas = ArrayMember(service, "areas")) {
        for (const auto& area : areas->GetArray()) AddArea(area, ctx, out);
    }
    SortUnique(out.regions);
    SortUnique(out.municipalities);
    return out;
}

}  // namespace tnohaku::importer
