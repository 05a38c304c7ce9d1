// SpyFacetCounter: facet tallies from Xapian's built-in ValueCountMatchSpy only (see
// core/facets.h), the counting path that remote shards can run.
#include <algorithm>

#include "core/facets.h"
#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

const std::string kLocalTerm = std::string(fmt::kNationalPrefix) + "local";

using CodeMap = std::map<std::string, uint64_t>;

// Per-code counts from a ValueCountMatchSpy over a facet slot (combinations split).
CodeMap SplitCounts(const Xapian::ValueCountMatchSpy& spy) {
    CodeMap out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
        for (const auto& code : fmt::SplitCodes(*it)) out[code] += it.get_termfreq();
    }
    return out;
}

uint64_t CountOf(const CodeMap& counts, const std::string& code) {
    auto it = counts.find(code);
    return it == counts.end() ? 0 : it->second;
}

}  // namespace

SpyFacetCounter::SpyFacetCounter(FacetInput input)
    : in_(std::move(input)), facets_(DistinctFacets(*in_.request)) {
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

SpyFacetCounter::~SpyFacetCounter() = default;

SpyFacetCounter::PassKey SpyFacetCounter::Key(std::optional<SearchFacet> without,
                                              bool national_included,
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

void SpyFacetCounter::Want(const PassKey& key, Xapian::valueno slot) {
    auto& spy = passes_[key].spies[slot];
    if (!spy) spy = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
}

std::vector<Xapian::MatchSpy*> SpyFacetCounter::MainSpies() {
    std::vector<Xapian::MatchSpy*> out;
    auto it = passes_.find(PassKey{});
    if (it == passes_.end()) return out;
    for (auto& [slot, spy] : it->second.spies) out.push_back(spy.get());
    it->second.done = true;
    return out;
}

void SpyFacetCounter::Run(const PassKey& key, Pass& pass, const CountPass& run) {
    const Filters& f = key.national_included ? *in_.national_filters : *in_.filters;
    std::vector<Xapian::Query> extra(key.extra.begin(), key.extra.end());
    std::vector<Xapian::MatchSpy*> spies;
    for (auto& [slot, spy] : pass.spies) spies.push_back(spy.get());
    run(f.Apply(in_.text, key.without, extra), spies);
    pass.done = true;
}

CodeMap SpyFacetCounter::Counts(const PassKey& key, Xapian::valueno slot) const {
    auto pass = passes_.find(key);
    if (pass == passes_.end()) return {};
    auto spy = pass->second.spies.find(slot);
    if (spy == pass->second.spies.end()) return {};
    return SplitCounts(*spy->second);
}

FacetTallies SpyFacetCounter::Finish(const CountPass& run) {
    for (auto& [key, pass] : passes_) {
        if (!pass.done) Run(key, pass, run);
    }
    FacetTallies out;
    for (SearchFacet f : facets_) {
        switch (f) {
            case SearchFacet::kNational:
                out.codes[f] = CodeCounts::Of(Counts(Key(std::nullopt, true), fmt::kFacetNational));
                break;
            case SearchFacet::kArea:
                TallyArea(run, out);
                break;
            default:
                out.codes[f] = CodeCounts::Of(Counts(Key(f, false), QueryBuilder::FacetSlot(f)));
                break;
        }
    }
    return out;
}

void SpyFacetCounter::TallyArea(const CountPass& run, FacetTallies& out) {
    const bool include = in_.request->include_national;
    std::vector<std::string> local_extra;
    if (include) local_extra.push_back(kLocalTerm);
    const PassKey local = Key(SearchFacet::kArea, false, local_extra);
    out.regions = CodeCounts::Of(Counts(local, fmt::kFacetAreaRegion));
    const CodeMap declared_region = Counts(local, fmt::kFacetDeclaredRegion);
    const CodeMap declared_municipality = Counts(local, fmt::kFacetDeclaredMunicipality);
    out.national_everywhere =
        include ? CountOf(Counts(Key(SearchFacet::kArea, false), fmt::kFacetNational), "national")
                : 0;

    // A local record declaring both region R and a municipality of R matches municipality
    // filters once: count those records per municipality and subtract them.
    CodeMap overlap;
    CodeMap municipalities;
    for (const auto& r : in_.overlap_regions) {
        if (!CountOf(declared_region, r)) continue;
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
        for (const auto& m : region->children) overlap[m] += CountOf(both, m);
    }
    for (const Code& region : in_.vocab->Codes(Facet::kRegion)) {
        const uint64_t whole = CountOf(declared_region, region.code);
        for (const auto& m : region.children) {
            const uint64_t declared = CountOf(declared_municipality, m);
            const uint64_t both = CountOf(overlap, m);
            const uint64_t n = whole + declared - std::min(both, whole + declared);
            if (n) municipalities[m] = n;
        }
    }
    out.municipalities = CodeCounts::Of(municipalities);
}

}  // namespace tnohaku
