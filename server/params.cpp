#include "server/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/dates.h"

namespace tnohaku::server {

namespace {

// Collects the first error; later checks are skipped once one failed.
class Checker {
  public:
    bool ok() const { return status_.ok(); }
    bool Fail(std::string_view parameter, const std::string& reason) {
        if (ok()) {
            parameter_ = parameter;
            status_ = Status::InvalidArgument(std::string(parameter) + ": " + reason);
        }
        return false;
    }
    template <typename T>
    Parsed<T> Finish(T value) && {
        Parsed<T> out;
        if (ok()) out.value = std::move(value);
        out.status = std::move(status_);
        out.parameter = std::move(parameter_);
        return out;
    }

  private:
    Status status_;
    std::string parameter_;
};

// The single value of a scalar parameter. An empty value counts as not given (HTML forms
// send empty fields); false (with the error set) when given twice.
bool Scalar(const ParamMap& params, std::string_view name, std::optional<std::string>& out,
            Checker& check) {
    auto [begin, end] = params.equal_range(std::string(name));
    for (auto it = begin; it != end; ++it) {
        if (it->second.empty()) continue;
        if (out) return check.Fail(name, "given more than once");
        out = it->second;
    }
    return true;
}

// Counts the characters of UTF-8 text; nullopt when the bytes are not valid UTF-8
// (overlong forms, surrogates and truncated sequences included).
std::optional<size_t> Utf8Length(std::string_view text) {
    size_t count = 0;
    size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        size_t extra = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // range of the first continuation byte
        if (c < 0x80) {
            extra = 0;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return std::nullopt;
        }
        if (text.size() - i <= extra) return std::nullopt;
        for (size_t k = 1; k <= extra; ++k) {
            auto b = static_cast<unsigned char>(text[i + k]);
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return std::nullopt;
        }
        i += extra + 1;
        ++count;
    }
    return count;
}

bool CheckQueryText(std::string_view name, const std::string& q, Checker& check) {
    auto length = Utf8Length(q);
    if (!length) return check.Fail(name, "is not valid UTF-8");
    if (*length > kMaxQueryChars) {
        return check.Fail(name, "is longer than " + std::to_string(kMaxQueryChars) + " characters");
    }
    for (char c : q) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
            return check.Fail(name, "contains control characters");
    }
    return true;
}

template <typename T>
bool ParseInteger(std::string_view text, T& out) {
    if (text.empty()) return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

bool ParseNumber(std::string_view text, double& out) {
    if (text.empty() || text.front() == '+') return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

// An optional integer in [min, max].
bool IntegerParam(const ParamMap& params, std::string_view name, uint32_t min, uint32_t max,
                  uint32_t& out, Checker& check) {
    std::optional<std::string> text;
    if (!Scalar(params, name, text, check)) return false;
    if (!text) return true;
    uint64_t value = 0;
    if (!ParseInteger(*text, value) || value < min || value > max) {
        return check.Fail(name, "must be a whole number from " + std::to_string(min) + " to " +
                                    std::to_string(max));
    }
    out = static_cast<uint32_t>(value);
    return true;
}

bool LangParam(const ParamMap& params, Lang& out, Checker& check) {
    std::optional<std::string> text;
    if (!Scalar(params, "lang", text, check)) return false;
    if (!text) return true;
    auto lang = LangFromCode(*text);
    if (!lang) return check.Fail("lang", "must be fi, sv or en");
    out = *lang;
    return true;
}

bool IsIdCode(std::string_view code) {
    if (code.empty() || code.size() > kMaxCodeLength) return false;
    for (char c : code) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

// Splits every value of a repeatable parameter at commas, drops empty items and
// duplicates, and checks each code.
bool FilterParamValues(const ParamMap& params, const FilterParam& param, const Vocabulary& vocab,
                       std::vector<std::string>& out, size_t& total, Checker& check) {
    auto [begin, end] = params.equal_range(std::string(param.name));
    std::set<std::string, std::less<>> seen(out.begin(), out.end());
    for (auto it = begin; it != end; ++it) {
        std::string_view rest = it->second;
        while (!rest.empty()) {
            size_t comma = rest.find(',');
            std::string_view code = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (code.empty()) continue;
            bool known = param.vocab
                             ? (code.size() <= kMaxCodeLength && vocab.Contains(*param.vocab, code))
                             : IsIdCode(code);
            if (!known) {
                std::string shown = Excerpt(code);
                return check.Fail(param.name,
                                  param.vocab ? "unknown code " + shown
                                              : "an organisation id is [a-z0-9-], not " + shown);
            }
            if (seen.insert(std::string(code)).second) out.emplace_back(code);
            if (++total > kMaxFilterValues) {
                return check.Fail(param.name, "more than " + std::to_string(kMaxFilterValues) +
                                                  " filter values in one request");
            }
        }
    }
    return true;
}

bool FiltersParams(const ParamMap& params, const Vocabulary& vocab, SearchRequest& request,
                   Checker& check) {
    size_t total = 0;
    for (const FilterParam& param : FilterParams()) {
        std::vector<std::string> values;
        if (!FilterParamValues(params, param, vocab, values, total, check)) return false;
        if (param.name == "region") {
            request.regions = std::move(values);
        } else if (param.name == "municipality") {
            request.municipalities = std::move(values);
        } else if (!values.empty()) {
            request.filters[param.facet] = std::move(values);
        }
    }
    return true;
}

bool NearParams(const ParamMap& params, SearchRequest& request, Checker& check) {
    std::optional<std::string> near, radius;
    if (!Scalar(params, "near", near, check) || !Scalar(params, "radius_km", radius, check))
        return false;
    if (near) {
        size_t comma = near->find(',');
        GeoPoint point;
        if (comma == std::string::npos ||
            !ParseNumber(std::string_view(*near).substr(0, comma), point.lat) ||
            !ParseNumber(std::string_view(*near).substr(comma + 1), point.lon)) {
            return check.Fail("near", "must be lat,lon in WGS84 degrees, e.g. 65.01,25.47");
        }
        if (point.lat < kMinLat || point.lat > kMaxLat || point.lon < kMinLon ||
            point.lon > kMaxLon) {
            return check.Fail(
                "near",
                "must lie in Finland or nearby (latitude 54 to 72, longitude 10 to 40; "
                "lat comes first)");
        }
        request.near = point;
    }
    if (radius) {
        double km = 0;
        if (!ParseNumber(*radius, km) || km <= 0 || km > kMaxRadiusKm) {
            return check.Fail("radius_km", "must be a number above 0 and at most 1000");
        }
        request.radius_km = km;
    }
    return true;
}

bool PeriodParams(const ParamMap& params, SearchRequest& request, Checker& check) {
    std::optional<std::string> active_on, status;
    if (!Scalar(params, "active_on", active_on, check) || !Scalar(params, "status", status, check))
        return false;
    if (active_on) {
        auto date = active_on->size() == 10 ? ParsePartialDate(*active_on) : std::nullopt;
        if (!date) return check.Fail("active_on", "must be a date YYYY-MM-DD");
        request.active_on = FirstDay(*date);
    }
    if (status) {
        bool found = false;
        for (PeriodStatus s : {PeriodStatus::kAny, PeriodStatus::kActive, PeriodStatus::kEnded,
                               PeriodStatus::kUpcoming}) {
            if (PeriodStatusName(s) == *status) {
                request.status = s;
                found = true;
            }
        }
        if (!found) return check.Fail("status", "must be active, ended, upcoming or any");
    }
    return true;
}

bool NationalParam(const ParamMap& params, SearchRequest& request, Checker& check) {
    std::optional<std::string> national;
    if (!Scalar(params, "national", national, check)) return false;
    if (!national) return true;
    if (*national != "include" && *national != "exclude")
        return check.Fail("national", "must be include or exclude");
    request.include_national = *national == "include";
    return true;
}

bool SortParam(const ParamMap& params, SearchRequest& request, Checker& check) {
    std::optional<std::string> sort;
    if (!Scalar(params, "sort", sort, check)) return false;
    if (!sort) return true;
    bool found = false;
    for (SortOrder s : {SortOrder::kRelevance, SortOrder::kName, SortOrder::kDistance,
                        SortOrder::kStartDate, SortOrder::kEndDate, SortOrder::kUpdated}) {
        if (SortOrderName(s) == *sort) {
            request.sort = s;
            found = true;
        }
    }
    if (!found)
        return check.Fail("sort",
                          "must be relevance, name, distance, start_date, end_date or updated");
    if (request.sort == SortOrder::kDistance && !request.near)
        return check.Fail("sort", "distance needs near=lat,lon");
    return true;
}

bool FacetsParams(const ParamMap& params, SearchRequest& request, Checker& check) {
    std::optional<std::string> facets;
    if (!Scalar(params, "facets", facets, check)) return false;
    request.facets.clear();
    if (!facets) {
        request.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    } else if (*facets != "none") {
        std::string_view rest = *facets;
        while (!rest.empty()) {
            size_t comma = rest.find(',');
            std::string_view name = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (name.empty()) continue;
            auto facet = SearchFacetFromName(name);
            if (!facet) return check.Fail("facets", "unknown facet " + Excerpt(name));
            if (std::find(request.facets.begin(), request.facets.end(), *facet) ==
                request.facets.end()) {
                request.facets.push_back(*facet);
            }
        }
    }
    return IntegerParam(params, "facet_limit", 0, kMaxFacetLimit, request.facet_limit, check);
}

}  // namespace

const std::vector<FilterParam>& FilterParams() {
    static const std::vector<FilterParam> params = {
        {"region", SearchFacet::kArea, Facet::kRegion},
        {"municipality", SearchFacet::kArea, Facet::kMunicipality},
        {"target_group", SearchFacet::kTargetGroup, Facet::kTargetGroup},
        {"theme", SearchFacet::kTheme, Facet::kTheme},
        {"service_class", SearchFacet::kServiceClass, Facet::kServiceClass},
        {"type", SearchFacet::kType, Facet::kType},
        {"channel", SearchFacet::kChannel, Facet::kChannel},
        {"service_language", SearchFacet::kServiceLanguage, Facet::kServiceLanguage},
        {"funding", SearchFacet::kFunding, Facet::kFunding},
        {"organisation", SearchFacet::kOrganisation, std::nullopt},
    };
    return params;
}

const std::vector<std::string>& FilterValues(const SearchRequest& request,
                                             const FilterParam& param) {
    static const std::vector<std::string> kNone;
    if (param.name == "region") return request.regions;
    if (param.name == "municipality") return request.municipalities;
    auto it = request.filters.find(param.facet);
    return it == request.filters.end() ? kNone : it->second;
}

std::string_view SortOrderName(SortOrder sort) {
    switch (sort) {
        case SortOrder::kRelevance:
            return "relevance";
        case SortOrder::kName:
            return "name";
        case SortOrder::kDistance:
            return "distance";
        case SortOrder::kStartDate:
            return "start_date";
        case SortOrder::kEndDate:
            return "end_date";
        case SortOrder::kUpdated:
            return "updated";
    }
    return "relevance";
}

std::string_view PeriodStatusName(PeriodStatus status) {
    switch (status) {
        case PeriodStatus::kAny:
            return "any";
        case PeriodStatus::kActive:
            return "active";
        case PeriodStatus::kEnded:
            return "ended";
        case PeriodStatus::kUpcoming:
            return "upcoming";
    }
    return "any";
}

Parsed<SearchRequest> ParseSearchParams(const ParamMap& params, const Vocabulary& vocab) {
    Checker check;
    SearchRequest request;
    std::optional<std::string> q;
    if (Scalar(params, "q", q, check) && q && CheckQueryText("q", *q, check)) request.q = *q;
    if (check.ok()) LangParam(params, request.lang, check);
    if (check.ok()) FiltersParams(params, vocab, request, check);
    if (check.ok()) NationalParam(params, request, check);
    if (check.ok()) PeriodParams(params, request, check);
    if (check.ok()) NearParams(params, request, check);
    if (check.ok()) SortParam(params, request, check);
    if (check.ok()) IntegerParam(params, "limit", 0, kMaxLimit, request.limit, check);
    if (check.ok()) IntegerParam(params, "offset", 0, kMaxOffset, request.offset, check);
    if (check.ok()) FacetsParams(params, request, check);
    return std::move(check).Finish(std::move(request));
}

Parsed<Lang> ParseLangParam(const ParamMap& params) {
    Checker check;
    Lang lang = Lang::kFi;
    LangParam(params, lang, check);
    return std::move(check).Finish(lang);
}

Parsed<SuggestRequest> ParseSuggestParams(const ParamMap& params) {
    Checker check;
    SuggestRequest request;
    std::optional<std::string> q;
    if (Scalar(params, "q", q, check) && q && CheckQueryText("q", *q, check)) request.q = *q;
    if (check.ok()) LangParam(params, request.lang, check);
    uint32_t limit = kMaxSuggestions;
    if (check.ok() && IntegerParam(params, "limit", 1, kMaxSuggestions, limit, check))
        request.limit = limit;
    return std::move(check).Finish(std::move(request));
}

}  // namespace tnohaku::server
