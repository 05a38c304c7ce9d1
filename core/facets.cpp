#include "core/facets.h"

#include <algorithm>
#include <tuple>

#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

std::string NationalLabel(bool national, Lang lang) {
    switch (lang) {
        case Lang::kFi:
            return national ? "Valtakunnallinen" : "Alueellinen tai paikallinen";
        case Lang::kSv:
            return national ? "Riksomfattande" : "Regional eller lokal";
        case Lang::kEn:
            return national ? "National" : "Regional or local";
    }
    return national ? "national" : "local";
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Turns tallies into the value lists of the response.
class FacetFormatter {
  public:
    FacetFormatter(const FacetInput& in, const FacetTallies& tallies)
        : in_(in), req_(*in.request), tallies_(tallies) {}

    std::vector<FacetValue> CodeFacet(SearchFacet facet) const;
    std::vector<FacetValue> NationalFacet() const;
    std::vector<FacetValue> AreaFacet() const;

  private:
    bool Selected(SearchFacet facet, const std::string& code) const {
        auto it = req_.filters.find(facet);
        return it != req_.filters.end() && Contains(it->second, code);
    }
    // Drops zero counts (unless selected), sorts by count (ties keep the given order),
    // applies facet_limit.
    std::vector<FacetValue> Finalise(std::vector<FacetValue> values) const;
    const CodeCounts& Codes(SearchFacet facet) const {
        static const CodeCounts kNone;
        auto it = tallies_.codes.find(facet);
        return it == tallies_.codes.end() ? kNone : it->second;
    }

    const FacetInput& in_;
    const SearchRequest& req_;
    const FacetTallies& tallies_;
};

std::vector<FacetValue> FacetFormatter::Finalise(std::vector<FacetValue> values) const {
    // Selected values, and values holding a selected child, are always kept.
    auto pinned = [](const FacetValue& v) {
        return v.selected || std::any_of(v.children.begin(), v.children.end(),
                                         [](const FacetValue& c) { return c.selected; });
    };
    std::erase_if(values, [&](const FacetValue& v) { return v.count == 0 && !pinned(v); });
    // Ties keep the order the values came in (vocabulary order).
    auto by_count = [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; };
    if (!std::is_sorted(values.begin(), values.end(), by_count))
        std::stable_sort(values.begin(), values.end(), by_count);
    const size_t limit = req_.facet_limit;
    if (limit > 0 && values.size() > limit) {
        std::vector<FacetValue> kept;
        for (size_t i = 0; i < values.size(); ++i) {
            if (i < limit || pinned(values[i])) kept.push_back(std::move(values[i]));
        }
        values = std::move(kept);
    }
    return values;
}

std::vector<FacetValue> FacetFormatter::CodeFacet(SearchFacet facet) const {
    const CodeCounts& counted = Codes(facet);
    // Selected codes without a count are listed too (with 0).
    CodeCounts unseen;
    if (auto it = req_.filters.find(facet); it != req_.filters.end()) {
        for (const auto& code : it->second) {
            if (!counted.count(code)) unseen.try_emplace(code, 0);
        }
    }
    std::vector<FacetValue> values;
    values.reserve(counted.size() + unseen.size());
    auto add = [&](const std::string& code, uint64_t count) {
        FacetValue v;
        v.code = code;
        v.count = count;
        v.selected = Selected(facet, code);
        values.push_back(std::move(v));
    };
    std::optional<Facet> vf = QueryBuilder::VocabFacet(facet);
    if (vf) {
        // Vocabulary order, then codes the vocabulary does not know (a selected typo).
        size_t known = 0;  // counted codes the vocabulary listed
        for (const Code& c : in_.vocab->Codes(*vf)) {
            if (auto it = counted.find(c.code); it != counted.end()) {
                add(c.code, it->second);
                ++known;
            } else if (auto u = unseen.find(c.code); u != unseen.end()) {
                add(c.code, 0);
                unseen.erase(u);
            }
        }
        for (const auto& [code, count] : counted) {
            if (known == counted.size()) break;
            if (!in_.vocab->Find(*vf, code)) add(code, count);
        }
        for (const auto& [code, count] : unseen) add(code, count);
        values = Finalise(std::move(values));
        for (auto& v : values) v.label = in_.vocab->Label(*vf, v.code, req_.lang);
        return values;
    }
    // Organisations: by count, then name, then code (a total order), so Finalise finds
    // them sorted. Known codes compare by their rank in that order (OrganisationNames).
    for (const auto& [code, count] : counted) add(code, count);
    for (const auto& [code, count] : unseen) add(code, count);
    struct Key {
        uint64_t count;
        std::optional<uint32_t> rank;  // nullopt: a code the revision does not have
        uint32_t index;                // into values
    };
    std::vector<Key> keys;
    keys.reserve(values.size());
    for (uint32_t i = 0; i < values.size(); ++i) {
        FacetValue& v = values[i];
        std::optional<uint32_t> at =
            in_.organisations ? in_.organisations->Find(v.code) : std::nullopt;
        v.label = at ? in_.organisations->Label(*at) : v.code;
        keys.push_back(
            {v.count, at ? std::optional(in_.organisations->Rank(*at)) : std::nullopt, i});
    }
    std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
        if (x.count != y.count) return x.count > y.count;
        if (x.rank && y.rank) return *x.rank < *y.rank;
        const FacetValue &a = values[x.index], &b = values[y.index];
        return std::tie(a.label, a.code) < std::tie(b.label, b.code);
    });
    std::vector<FacetValue> sorted;
    sorted.reserve(values.size());
    for (const Key& k : keys) sorted.push_back(std::move(values[k.index]));
    return Finalise(std::move(sorted));
}

std::vector<FacetValue> FacetFormatter::NationalFacet() const {
    const CodeCounts& counts = Codes(SearchFacet::kNational);
    std::vector<FacetValue> values;
    for (bool national : {true, false}) {
        FacetValue v;
        v.code = national ? "national" : "local";
        v.label = NationalLabel(national, req_.lang);
        v.count = CountOf(counts, v.code);
        v.selected = national ? req_.include_national : true;
        values.push_back(std::move(v));
    }
    return Finalise(std::move(values));
}

std::vector<FacetValue> FacetFormatter::AreaFacet() const {
    const uint64_t national = tallies_.national_everywhere;
    std::vector<FacetValue> out;
    for (const Code& region : in_.vocab->Codes(Facet::kRegion)) {
        FacetValue v;
        v.code = region.code;
        v.count = national + CountOf(tallies_.regions, region.code);
        v.selected = Contains(req_.regions, region.code);
        for (const auto& m : region.children) {
            FacetValue c;
            c.count = national + CountOf(tallies_.municipalities, m);
            c.selected = Contains(req_.municipalities, m);
            if (c.count == 0 && !c.selected) continue;
            c.code = m;
            v.children.push_back(std::move(c));
        }
        v.children = Finalise(std::move(v.children));
        for (auto& c : v.children)
            c.label = in_.vocab->Label(Facet::kMunicipality, c.code, req_.lang);
        if (v.count > 0 || v.selected || !v.children.empty()) out.push_back(std::move(v));
    }
    out = Finalise(std::move(out));
    for (auto& v : out) v.label = in_.vocab->Label(Facet::kRegion, v.code, req_.lang);
    return out;
}

}  // namespace

std::vector<SearchFacet> DistinctFacets(const SearchRequest& request) {
    std::vector<SearchFacet> out;
    for (SearchFacet f : request.facets) {
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
    return out;
}

std::map<SearchFacet, std::vector<FacetValue>> BuildFacets(const FacetInput& input,
                                                           const FacetTallies& tallies) {
    FacetFormatter formatter(input, tallies);
    std::map<SearchFacet, std::vector<FacetValue>> out;
    for (SearchFacet f : DistinctFacets(*input.request)) {
        switch (f) {
            case SearchFacet::kNational:
                out[f] = formatter.NationalFacet();
                break;
            case SearchFacet::kArea:
                out[f] = formatter.AreaFacet();
                break;
            default:
                out[f] = formatter.CodeFacet(f);
                break;
        }
    }
    return out;
}

}  // namespace tnohaku
