#include "core/facets.h"

#include <algorithm>

#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

const std::string kLocalTerm = std::string(fmt::kNationalPrefix) + "local";

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

}  // namespace

std::map<std::string, uint64_t> SplitCounts(const Xapian::ValueCountMatchSpy& spy) {
    std::map<std::string, uint64_t> out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        for (const auto& code : fmt::SplitCodes(*it)) out[code] += it.get_termfreq();
    }
    return out;
}

FacetCounter::FacetCounter(FacetInput input) : in_(std::move(input)) {
    for (SearchFacet f : in_.request->facets) {
        if (std::find(facets_.begin(), facets_.end(), f) == facets_.end()) facets_.push_back(f);
    }
    const bool include = in_.request->include_national;
    for (SearchFacet f : facets_) {
        switch (f) {
            case SearchFacet::kNational:
                Want(Key(std::nullopt, true), fmt::kFacetNational);
                break;
            case SearchFacet::kArea: {
                PassKey local = Key(SearchFacet::kArea, false,
                                    include ? std::vector{kLocalTerm} : std::vector<std::string>{});
                for (auto slot : {fmt::kFacetAreaRegion, fmt::kFacetDeclaredRegion,
                                  fmt::kFacetDeclaredMunicipality}) {
                    Want(local, slot);
                }
                if (include) Want(Key(SearchFacet::kArea, false), fmt::kFacetNational);
                break;
            }
            default:
                Want(Key(f, false), QueryBuilder::FacetSlot(f));
                break;
        }
    }
}

FacetCounter::~FacetCounter() = default;

FacetCounter::PassKey FacetCounter::Key(std::optional<SearchFacet> without, bool national_included,
                                        std::vector<std::string> extra) const {
    PassKey key;
    national_included = national_included && !in_.request->include_national;
    const Filters& f = national_included ? *in_.national_filters : *in_.filters;
    if (without && f.Has(*without)) key.without = without;
    key.national_included = national_included;
    std::sort(extra.begin(), extra.end());
    key.extra = std::move(extra);
    return key;
}

void FacetCounter::Want(const PassKey& key, Xapian::valueno slot) {
    auto& spy = passes_[key].spies[slot];
    if (!spy) spy = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
}

std::vector<Xapian::MatchSpy*> FacetCounter::MainSpies() {
    std::vector<Xapian::MatchSpy*> out;
    auto it = passes_.find(PassKey{});
    if (it == passes_.end()) return out;
    for (auto& [slot, spy] : it->second.spies) out.push_back(spy.get());
    it->second.done = true;
    return out;
}

void FacetCounter::Run(const PassKey& key, Pass& pass, const CountPass& run) {
    const Filters& f = key.national_included ? *in_.national_filters : *in_.filters;
    std::vector<Xapian::Query> extra(key.extra.begin(), key.extra.end());
    std::vector<Xapian::MatchSpy*> spies;
    for (auto& [slot, spy] : pass.spies) spies.push_back(spy.get());
    run(f.Apply(in_.text, key.without, extra), spies);
    pass.done = true;
}

std::map<std::string, uint64_t> FacetCounter::Counts(const PassKey& key,
                                                     Xapian::valueno slot) const {
    auto pass = passes_.find(key);
    if (pass == passes_.end()) return {};
    auto spy = pass->second.spies.find(slot);
    if (spy == pass->second.spies.end()) return {};
    return SplitCounts(*spy->second);
}

std::map<SearchFacet, std::vector<FacetValue>> FacetCounter::Finish(const CountPass& run) {
    for (auto& [key, pass] : passes_) {
        if (!pass.done) Run(key, pass, run);
    }
    std::map<SearchFacet, std::vector<FacetValue>> out;
    for (SearchFacet f : facets_) {
        switch (f) {
            case SearchFacet::kNational:
                out[f] = NationalFacet();
                break;
            case SearchFacet::kArea:
                out[f] = AreaFacet(run);
                break;
            default:
                out[f] = CodeFacet(f);
                break;
        }
    }
    return out;
}

bool FacetCounter::Selected(SearchFacet facet, const std::string& code) const {
    auto it = in_.request->filters.find(facet);
    return it != in_.request->filters.end() && Contains(it->second, code);
}

std::vector<FacetValue> FacetCounter::Finalise(std::vector<FacetValue> values) const {
    // Selected values, and values holding a selected child, are always kept.
    auto pinned = [](const FacetValue& v) {
        return v.selected || std::any_of(v.children.begin(), v.children.end(),
                                         [](const FacetValue& c) { return c.selected; });
    };
    std::erase_if(values, [&](const FacetValue& v) { return v.count == 0 && !pinned(v); });
    // Ties keep the order the values came in (vocabulary order).
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    const size_t limit = in_.request->facet_limit;
    if (limit > 0 && values.size() > limit) {
        std::vector<FacetValue> kept;
        for (size_t i = 0; i < values.size(); ++i) {
            if (i < limit || pinned(values[i])) kept.push_back(std::move(values[i]));
        }
        values = std::move(kept);
    }
    return values;
}

std::vector<FacetValue> FacetCounter::CodeFacet(SearchFacet facet) const {
    const Lang lang = in_.request->lang;
    auto counts = Counts(Key(facet, false), QueryBuilder::FacetSlot(facet));
    if (auto it = in_.request->filters.find(facet); it != in_.request->filters.end()) {
        for (const auto& code : it->second) counts.try_emplace(code, 0);
    }
    std::vector<FacetValue> values;
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
            auto it = counts.find(c.code);
            if (it == counts.end()) continue;
            add(c.code, it->second);
            counts.erase(it);
        }
        for (const auto& [code, count] : counts) add(code, count);
        values = Finalise(std::move(values));
        for (auto& v : values) v.label = in_.vocab->Label(*vf, v.code, lang);
        return values;
    }
    // Organisations: alphabetical by name.
    for (const auto& [code, count] : counts) add(code, count);
    for (auto& v : values) {
        if (v.count > 0 || v.selected)
            v.label = in_.organisation_label ? in_.organisation_label(v.code) : v.code;
        if (v.label.empty()) v.label = v.code;
    }
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.label < b.label; });
    return Finalise(std::move(values));
}

std::vector<FacetValue> FacetCounter::NationalFacet() const {
    const Lang lang = in_.request->lang;
    auto counts = Counts(Key(std::nullopt, true), fmt::kFacetNational);
    std::vector<FacetValue> values;
    for (bool national : {true, false}) {
        FacetValue v;
        v.code = national ? "national" : "local";
        v.label = NationalLabel(national, lang);
        v.count = counts[v.code];
        v.selected = national ? in_.request->include_national : true;
        values.push_back(std::move(v));
    }
    return Finalise(std::move(values));
}

std::vector<FacetValue> FacetCounter::AreaFacet(const CountPass& run) {
    const SearchRequest& req = *in_.request;
    const bool include = req.include_national;
    std::vector<std::string> local_extra;
    if (include) local_extra.push_back(kLocalTerm);
    const PassKey local = Key(SearchFacet::kArea, false, local_extra);
    const auto member = Counts(local, fmt::kFacetAreaRegion);
    const auto declared_region = Counts(local, fmt::kFacetDeclaredRegion);
    const auto declared_municipality = Counts(local, fmt::kFacetDeclaredMunicipality);
    auto get = [](const std::map<std::string, uint64_t>& counts,
                  const std::string& code) -> uint64_t {
        auto it = counts.find(code);
        return it == counts.end() ? 0 : it->second;
    };
    const uint64_t national =
        include ? get(Counts(Key(SearchFacet::kArea, false), fmt::kFacetNational), "national") : 0;

    const auto& regions = in_.vocab->Codes(Facet::kRegion);
    // A local record declaring both region R and a municipality of R matches municipality
    // filters once: count those records per municipality and subtract them.
    std::map<std::string, uint64_t> overlap;
    for (const auto& r : in_.overlap_regions) {
        if (!get(declared_region, r)) continue;
        const Code* region = in_.vocab->Find(Facet::kRegion, r);
        if (!region) continue;
        bool any =
            std::any_of(region->children.begin(), region->children.end(),
                        [&](const std::string& m) { return declared_municipality.count(m) > 0; });
        if (!any) continue;
        std::vector<std::string> extra = local_extra;
        extra.push_back(fmt::kDeclaredRegionPrefix + r);
        PassKey key = Key(SearchFacet::kArea, false, extra);
        Want(key, fmt::kFacetDeclaredMunicipality);
        Pass& pass = passes_[key];
        if (!pass.done) Run(key, pass, run);
        auto both = Counts(key, fmt::kFacetDeclaredMunicipality);
        for (const auto& m : region->children) overlap[m] += get(both, m);
    }

    std::vector<FacetValue> out;
    for (const Code& region : regions) {
        FacetValue v;
        v.code = region.code;
        v.count = national + get(member, region.code);
        v.selected = Contains(req.regions, region.code);
        const uint64_t whole = get(declared_region, region.code);
        for (const auto& m : region.children) {
            FacetValue c;
            uint64_t declared = get(declared_municipality, m);
            uint64_t both = overlap.empty() ? 0 : get(overlap, m);
            c.count = national + whole + declared - std::min(both, whole + declared);
            c.selected = Contains(req.municipalities, m);
            if (c.count == 0 && !c.selected) continue;
            c.code = m;
            v.children.push_back(std::move(c));
        }
        v.children = Finalise(std::move(v.children));
        for (auto& c : v.children)
            c.label = in_.vocab->Label(Facet::kMunicipality, c.code, req.lang);
        if (v.count > 0 || v.selected || !v.children.empty()) out.push_back(std::move(v));
    }
    out = Finalise(std::move(out));
    for (auto& v : out) v.label = in_.vocab->Label(Facet::kRegion, v.code, req.lang);
    return out;
}

}  // namespace tnohaku
