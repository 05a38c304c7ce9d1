#include "importer/ptv_export.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/json_util.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

constexpr size_t kNameMax = 300, kSummaryMax = 2000, kKeywordMax = 100;
constexpr std::string_view kNotIncluded = "EI MUKAAN";

// The area of a scope: "national", or a municipality code. False when unknown.
bool SetArea(const std::string& scope, const Vocabulary& vocab, Area& area) {
    if (scope == "national") {
        area.national = true;
        return true;
    }
    std::string code =
        scope.size() < 3 && !scope.empty() ? std::string(3 - scope.size(), '0') + scope : scope;
    if (!vocab.Contains(Facet::kMunicipality, code)) return false;
    area.municipalities.push_back(code);
    return true;
}

// The record of one line; nullopt with a skip reported when it cannot be one.
std::optional<SourcedRecord> ReadLine(std::string_view line, const ItemRef& where,
                                      const Vocabulary& vocab, Diagnostics& diag) {
    rapidjson::Document doc;
    doc.Parse(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        std::string why = doc.HasParseError() ? rapidjson::GetParseError_En(doc.GetParseError())
                                              : "not a JSON object";
        diag.Skip(where.Prefix() + "not a JSON object (" + why + "): skipped");
        return std::nullopt;
    }
    ItemRef ref{where.origin, AsciiLower(Trim(json::GetString(doc, "ptv_id")))};
    if (ref.ptv_id.empty() ||
        ref.ptv_id.find_first_not_of("0123456789abcdef-") != std::string::npos) {
        diag.Skip(ref.Prefix() + "field 'ptv_id': missing or not a PTV uuid: skipped");
        return std::nullopt;
    }
    SourcedRecord out{Record{}, ref.origin, ref.ptv_id};
    Record& r = out.record;
    r.id = "ptv-" + ref.ptv_id;
    r.type = "service";
    r.name.fi = Truncate(PlainText(json::GetString(doc, "name")), kNameMax);
    r.summary.fi = Truncate(PlainText(json::GetString(doc, "summary")), kSummaryMax);
    std::string scope = Trim(json::GetString(doc, "scope"));
    if (!SetArea(scope, vocab, r.area)) {
        diag.Warn(ref.Prefix() + "field 'scope': dropped the unknown scope '" + scope +
                  "' (neither 'national' nor a code in schema/vocab/municipalities.json)");
    }
    for (const std::string& label : json::GetStrings(doc, "labels")) {
        std::string keyword = Trim(label);
        if (keyword.empty() || keyword == kNotIncluded || CodePointCount(keyword) > kKeywordMax)
            continue;
        if (std::find(r.keywords.begin(), r.keywords.end(), keyword) == r.keywords.end())
            r.keywords.push_back(keyword);
    }
    r.source = {kPtvExportSourceName, ref.ptv_id, ""};
    return out;
}

}  // namespace

Result<std::vector<SourcedRecord>> ReadPtvExport(const std::string& path, const Vocabulary& vocab,
                                                 Diagnostics& diag) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return Status::NotFound(
            path + ": " + (std::filesystem::exists(path, ec) ? "not a file" : "no such file"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError(path + ": cannot open the file");
    std::vector<SourcedRecord> records;
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (Trim(line).empty()) continue;
        auto record = ReadLine(line, {path + ":" + std::to_string(n), {}}, vocab, diag);
        if (record) records.push_back(std::move(*record));
    }
    if (in.bad()) return Status::IoError(path + ": reading failed");
    return records;
}

}  // namespace tnohaku::importer
