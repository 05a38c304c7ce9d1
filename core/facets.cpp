#include "core/facets.h"

#include <algorithm>
#include <cstdint>
#include <deque>
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

std::string_view NationalLabel(bool national, Lang lang) {
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

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Turns tallies into the value lists of the response. The values' views point into the
// vocabulary, the organisation names and `owned_` (codes known to neither: a selected
// typo, a code the vocabulary lost); Owners() lists what the result must keep.
class FacetFormatter {
  public:
    FacetFormatter(const FacetInput& in, const FacetTallies& tallies)
        : in_(in), req_(*in.request), tallies_(tallies) {}

    std::vector<FacetValue> CodeFacet(SearchFacet facet);
    std::vector<FacetValue> NationalFacet() const;
    std::vector<FacetValue> AreaFacet() const;
    std::vector<std::shared_ptr<const void>> Owners() const;

  private:
    bool Selected(SearchFacet facet, std::string_view code) const {
        auto it = req_.filters.find(facet);
        return it != req_.filters.end() && Contains(it->second, code);
    }
    std::vector<FacetValue> VocabFacet(SearchFacet facet, Facet vf);
    std::vector<FacetValue> OrganisationFacet();
    // A copy of `text` that lives as long as the result.
    std::string_view Own(std::string_view text) {
        if (!owned_) owned_ = std::make_shared<std::deque<std::string>>();
        return owned_->emplace_back(text);  // a deque never moves its elements
    }
    // The label of a vocabulary code, else the code itself.
    std::string_view VocabLabel(Facet facet, std::string_view code) const {
        const Code* c = in_.vocab->Find(facet, code);
        return c ? std::string_view(c->labels.Display(req_.lang)) : code;
    }
    // Drops zero counts (unless selected), sorts by count (ties keep the given order),
    // applies facet_limit.
    std::vector<FacetValue> Finalise(std::vector<FacetValue> values) const;
    const CodeCounts& Codes(SearchFacet facet) const {
        static const CodeCounts kNone;
        auto it = tallies_.codes.find(facet);
        return it == tallies_.codes.end() ? kNone : it->second;
    }
    // Selected codes of `facet` without a count, sorted, each once.
    std::vector<std::string> Unseen(SearchFacet facet) const;

    const FacetInput& in_;
    const SearchRequest& req_;
    const FacetTallies& tallies_;
    std::shared_ptr<std::deque<std::string>> owned_;
};

std::vector<std::shared_ptr<const void>> FacetFormatter::Owners() const {
    std::vector<std::shared_ptr<const void>> out = {in_.vocab};
    if (in_.organisations) out.push_back(in_.organisations);
    if (owned_) out.push_back(owned_);
    return out;
}

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

std::vector<std::string> FacetFormatter::Unseen(SearchFacet facet) const {
    std::vector<std::string> unseen;
    if (auto it = req_.filters.find(facet); it != req_.filters.end()) {
        const CodeCounts& counted = Codes(facet);
        for (const auto& code : it->second) {
            if (!counted.Count(code)) unseen.push_back(code);
        }
        std::sort(unseen.begin(), unseen.end());
        unseen.erase(std::unique(unseen.begin(), unseen.end()), unseen.end());
    }
    return unseen;
}

std::vector<FacetValue> FacetFormatter::CodeFacet(SearchFacet facet) {
    std::optional<Facet> vf = QueryBuilder::VocabFacet(facet);
    return vf ? VocabFacet(facet, *vf) : OrganisationFacet();
}

// Vocabulary order, then codes the vocabulary does not know (a selected typo).
std::vector<FacetValue> FacetFormatter::VocabFacet(SearchFacet facet, Facet vf) {
    const CodeCounts& counted = Codes(facet);
    std::vector<std::string> unseen = Unseen(facet);  // listed too, with 0
    const size_t counted_codes = counted.CountedCodes();
    std::vector<FacetValue> values;
    values.reserve(counted_codes + unseen.size());
    auto add = [&](std::string_view code, std::string_view label, uint64_t count) {
        FacetValue& v = values.emplace_back();
        v.code = code;
        v.label = label;
        v.count = count;
        v.selected = Selected(facet, code);
    };
    size_t known = 0;  // counted codes the vocabulary listed
    for (const Code& c : in_.vocab->Codes(vf)) {
        if (uint64_t n = counted.Count(c.code)) {
            add(c.code, c.labels.Display(req_.lang), n);
            ++known;
        } else if (auto u = std::lower_bound(unseen.begin(), unseen.end(), c.code);
                   u != unseen.end() && *u == c.code) {
            add(c.code, c.labels.Display(req_.lang), 0);
            unseen.erase(u);
        }
    }
    if (known < counted_codes) {
        counted.ForEachCounted([&](const std::string& code, uint64_t count) {
            if (in_.vocab->Find(vf, code)) return;
            const std::string_view own = Own(code);
            add(own, own, count);
        });
    }
    for (const auto& code : unseen) {
        const std::string_view own = Own(code);
        add(own, own, 0);
    }
    return Finalise(std::move(values));
}

// By count, then name, then code (a total order), so Finalise finds them sorted. Codes
// compare by their rank in that order (OrganisationNames), packed with the count into
// one integer: thousands of values are sorted per response.
std::vector<FacetValue> FacetFormatter::OrganisationFacet() {
    const SearchFacet facet = SearchFacet::kOrganisation;
    const OrganisationNames* names = in_.organisations.get();
    struct Keyed {
        uint64_t key;    // (2^32 - 1 - count) << 32 | place in (name, code) order
        uint32_t index;  // into values
    };
    std::vector<FacetValue> values;
    std::vector<Keyed> keys;
    uint32_t cursor = 0;  // codes come in byte order: each lookup starts where the last ended
    auto add = [&](std::string_view code, uint64_t count) {
        FacetValue v;
        v.count = count;
        v.selected = Selected(facet, code);
        // Known codes take the odd places 2 × rank + 1; an unknown one (labelled by its
        // code) the even place before the first known code after it.
        uint64_t place;
        if (std::optional<uint32_t> at = names ? names->Find(code, &cursor) : std::nullopt) {
            v.code = names->Code(*at);
            v.label = names->Label(*at);
            v.plain = names->Plain(*at);
            place = 2 * uint64_t{names->Rank(*at)} + 1;
        } else {
            v.code = v.label = Own(code);
            place = names ? 2 * uint64_t{names->RankBefore(code, code)} : 0;
        }
        const uint64_t inverse = uint64_t{UINT32_MAX} - std::min<uint64_t>(count, UINT32_MAX);
        keys.push_back({inverse << 32 | place, static_cast<uint32_t>(values.size())});
        values.push_back(std::move(v));
    };
    const CodeCounts& counted = Codes(facet);
    const std::vector<std::string> unseen = Unseen(facet);
    values.reserve(counted.CountedCodes() + unseen.size());
    keys.reserve(values.capacity());
    counted.ForEachCounted([&](const std::string& code, uint64_t count) { add(code, count); });
    cursor = 0;  // the unseen codes come in byte order too, from the start
    for (const auto& code : unseen) add(code, 0);
    // Equal keys: unknown codes at one place, in the order added (byte order of code).
    std::sort(keys.begin(), keys.end(), [](const Keyed& x, const Keyed& y) {
        return x.key != y.key ? x.key < y.key : x.index < y.index;
    });
    std::vector<FacetValue> sorted;
    sorted.reserve(values.size());
    for (const Keyed& k : keys) sorted.push_back(std::move(values[k.index]));
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
        for (auto& c : v.children) c.label = VocabLabel(Facet::kMunicipality, c.code);
        if (v.count > 0 || v.selected || !v.children.empty()) out.push_back(std::move(v));
    }
    out = Finalise(std::move(out));
    for (auto& v : out) v.label = VocabLabel(Facet::kRegion, v.code);
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

void BuildFacets(const FacetInput& input, const FacetTallies& tallies, SearchResult& result) {
    FacetFormatter formatter(input, tallies);
    for (SearchFacet f : DistinctFacets(*input.request)) {
        switch (f) {
            case SearchFacet::kNational:
                result.facets[f] = formatter.NationalFacet();
                break;
            case SearchFacet::kArea:
                result.facets[f] = formatter.AreaFacet();
                break;
            default:
                result.facets[f] = formatter.CodeFacet(f);
                break;
        }
    }
    result.facet_text = formatter.Owners();
}

}  // namespace tnohaku
