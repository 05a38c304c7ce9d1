#include "core/validate.h"

#include <algorithm>
#include <set>

#include "core/dates.h"

namespace tnohaku {
namespace {

bool Blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

class Checker {
  public:
    Checker(const Record& r, const Vocabulary& v) : r_(r), vocab_(v) {}

    std::vector<FieldError> Run() {
        CheckName();
        CheckTranslated();
        CheckOrganisations();
        CheckArea();
        CheckCodes("target_groups", r_.target_groups, Facet::kTargetGroup);
        CheckCodes("themes", r_.themes, Facet::kTheme);
        CheckCodes("service_classes", r_.service_classes, Facet::kServiceClass);
        CheckCodes("channels", r_.channels, Facet::kChannel);
        CheckCodes("service_languages", r_.service_languages, Facet::kServiceLanguage);
        CheckCodes("funding", r_.funding, Facet::kFunding);
        CheckKeywords();
        CheckPeriod();
        CheckLocations();
        CheckContact();
        CheckDate("updated", r_.updated);
        return std::move(errors_);
    }

  private:
    void Add(std::string field, std::string reason) {
        errors_.push_back({std::move(field), std::move(reason)});
    }

    void CheckName() {
        if (r_.name.empty() || (Blank(r_.name.fi) && Blank(r_.name.sv) && Blank(r_.name.en))) {
            Add("name", "needs a name in at least one language (fi, sv or en)");
        }
    }

    void CheckTranslated() {
        for (const auto& code : r_.translated) {
            auto lang = LangFromCode(code);
            if (lang && r_.name[*lang].empty() && r_.summary[*lang].empty() &&
                r_.description[*lang].empty()) {
                Add("translated",
                    "lists '" + code + "' but the record has no text in that language");
            }
        }
    }

    void CheckOrganisations() {
        for (size_t i = 0; i < r_.organisations.size(); ++i) {
            if (Blank(r_.organisations[i].name))
                Add("organisations[" + std::to_string(i) + "].name", "is blank");
        }
    }

    void CheckArea() {
        if (r_.area.empty()) {
            Add("area", "must declare national, regions or municipalities");
            return;
        }
        CheckCodes("area.regions", r_.area.regions, Facet::kRegion);
        CheckCodes("area.municipalities", r_.area.municipalities, Facet::kMunicipality);
    }

    void CheckCodes(const std::string& field, const std::vector<std::string>& codes, Facet facet) {
        std::set<std::string_view> seen;
        for (size_t i = 0; i < codes.size(); ++i) {
            std::string where = field + "[" + std::to_string(i) + "]";
            if (!vocab_.Contains(facet, codes[i])) {
                Add(where, "unknown code '" + codes[i] + "' (not in schema/vocab/" +
                               std::string(VocabName(facet)) + ".json)");
            } else if (!seen.insert(codes[i]).second) {
                Add(where, "repeats the code '" + codes[i] + "'");
            }
        }
    }

    void CheckKeywords() {
        for (size_t i = 0; i < r_.keywords.size(); ++i) {
            if (Blank(r_.keywords[i])) Add("keywords[" + std::to_string(i) + "]", "is blank");
        }
    }

    std::optional<PartialDate> CheckDate(const std::string& field, const std::string& text) {
        if (text.empty()) return std::nullopt;
        auto date = ParsePartialDate(text);
        if (!date)
            Add(field,
                "'" + text + "' is not a date (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar day)");
        return date;
    }

    void CheckPeriod() {
        auto start = CheckDate("period.start", r_.period.start);
        auto end = CheckDate("period.end", r_.period.end);
        if (start && end && LastDay(*end) < FirstDay(*start)) {
            Add("period.end",
                "'" + r_.period.end + "' is before the start '" + r_.period.start + "'");
        }
    }

    void CheckLocations() {
        for (size_t i = 0; i < r_.locations.size(); ++i) {
            const Location& l = r_.locations[i];
            std::string at = "locations[" + std::to_string(i) + "]";
            if (!l.municipality.empty() && !vocab_.Contains(Facet::kMunicipality, l.municipality)) {
                Add(at + ".municipality", "unknown code '" + l.municipality +
                                              "' (not in schema/vocab/municipalities.json)");
            }
            if (l.lat.has_value() != l.lon.has_value()) {
                Add(at, "gives only one of lat and lon");
            } else if (l.lat && (*l.lat < kMinLat || *l.lat > kMaxLat || *l.lon < kMinLon ||
                                 *l.lon > kMaxLon)) {
                Add(at, "coordinates " + std::to_string(*l.lat) + ", " + std::to_string(*l.lon) +
                            " are outside Finland (WGS84 latitude, longitude)");
            }
        }
    }

    void CheckContact() {
        const Contact& c = r_.contact;
        if (!c.url.empty() && c.url.rfind("https://", 0) != 0 && c.url.rfind("http://", 0) != 0) {
            Add("contact.url", "must start with https:// or http://");
        }
        auto at = c.email.find('@');
        if (!c.email.empty() &&
            (at == std::string::npos || at == 0 || c.email.find('.', at) == std::string::npos ||
             c.email.find(' ') != std::string::npos)) {
            Add("contact.email", "'" + c.email + "' is not an e-mail address");
        }
    }

    const Record& r_;
    const Vocabulary& vocab_;
    std::vector<FieldError> errors_;
};

}  // namespace

std::vector<FieldError> ValidateRecord(const Record& record, const Vocabulary& vocab) {
    return Checker(record, vocab).Run();
}

ParsedRecord ParseAndValidate(std::string_view json_line, const Vocabulary& vocab) {
    ParsedRecord parsed = ParseRecord(json_line);
    if (parsed.ok()) parsed.errors = ValidateRecord(parsed.record, vocab);
    return parsed;
}

}  // namespace tnohaku
