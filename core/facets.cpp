#include "core/facets.h"

#include <algorithm>
#include <tuple>

#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

CodeCounts::CodeCounts(std::shared_ptr<const std::vector<std::string>> codes,
                       std::vector<uint64_t> counts)
    : codes_(std::move(codes)), counts_(std::move(counts)) {}

CodeCounts CodeCounts::Borrowing(const std::vector<std::string>& codes,
                                 std::vector<uint64_t> counts) {
    // An aliasing pointer without an owner: it points at `codes` and frees nothing.
    return CodeCounts(
        std::shared_ptr<const std::vector<std::string>>(std::shared_ptr<const void>(), &codes),
        std::move(counts));
}

CodeCounts CodeCounts::Of(const std::map<std::string, uint64_t>& counts) {
    auto codes = std::make_shared<std::vector<std::string>>();
    std::vector<uint64_t> values;
    codes->reserve(counts.size());
    values.reserve(counts.size());
    for (const auto& [code, count] : counts) {
        codes->push_back(code);
        values.push_back(count);
    }
    return CodeCounts(std::move(codes), std::move(values));
}

uint64_t CodeCounts::Count(std::string_view code) const {
    if (!codes_) return 0;
    auto it = std::lower_bound(codes_->begin(), codes_->end(), code,
                               [](const std::string& a, std::string_view b) { return a < b; });
    if (it == codes_->end() || *it != code) return 0;
    return counts_[static_cast<size_t>(it - codes_->begin())];
}

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
    // Selected codes without a count are listed too (with 0): sorted, each once.
    std::vector<std::string> unseen;
    if (auto it = req_.filters.find(facet); it != req_.filters.end()) {
        for (const auto& code : it->second) {
            if (!counted.Count(code)) unseen.push_back(code);
        }
        std::sort(unseen.begin(), unseen.end());
        unseen.erase(std::unique(unseen.begin(), unseen.end()), unseen.end());
    }
    std::vector<FacetValue> values;
    values.reserve(counted.CountedCodes() + unseen.size());
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
        for (const Code& c : in_.vocab->Codes(*vf)) {
            if (uint64_t n = counted.Count(c.code)) {
                add(c.code, n);
            } else if (auto u = std::lower_bound(unseen.begin(), unseen.end(), c.code);
                       u != unseen.end() && *u == c.code) {
                add(c.code, 0);
                unseen.erase(u);
            }
        }
        counted.ForEachCounted([&](const std::string& code, uint64_t count) {
            if (!in_.vocab->Find(*vf, code)) add(code, count);
        });
        for (const auto& code : unseen) add(code, 0);
        values = Finalise(std::move(values));
        for (auto& v : values) v.label = in_.vocab->Label(*vf, v.code, req_.lang);
        return values;
    }
    // Organisations: by count, then name, then code (a total order), so Finalise finds
    // them sorted. Known codes compare by their rank in that order (OrganisationNames).
    counted.ForEachCounted([&](const std::string& code, uint64_t count) { add(code, count); });
    for (const auto& code : unseen) add(code, 0);
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
        v.count = counts.Count(v.code);
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
        v.count = national + tallies_.regions.Count(region.code);
        v.selected = Contains(req_.regions, region.code);
        for (const auto& m : region.children) {
            FacetValue c;
            c.count = national + tallies_.municipalities.Count(m);
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
