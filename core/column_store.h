// ColumnStore: one database revision's facet, date, location and sort data in memory, by
// docid, so that counting facets and ordering a match set costs array reads instead of
// one value B-tree read per document and slot (bench/analysis.md measured that as ~87 %
// of a request before this existed).
//
// Built once per database revision from the value slots of schema/index-format.md (the
// same data the Xapian-native ValueCountMatchSpy path reads, so both count the same), and
// shared read-only by every Searcher reading that revision: ColumnStoreCache hands out one
// store per revision. Each facet slot is stored as a *combination id* per document (the
// distinct comma-joined values of the slot, interned), and each combination as its code
// ids: counting is ++count[combo[docid]] per match, then one expansion of the non-zero
// combinations. Sort orders are precomputed ranks (ties by id, as Xapian's sorts here),
// so a page of a sorted match set is a partial sort of integers.
//
// Memory: ~4 bytes per document and facet field, 4 per document and sort order, 16 per
// location, 2 per document for its length, plus the set cache's budget (ColumnStoreOptions).
//
// Thread safety: a built store is immutable except for its SetCache, which locks; share
// it freely. ColumnStoreCache is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "core/doc_set.h"
#include "core/packed_uints.h"
#include "core/search.h"
#include "core/set_cache.h"
#include "core/status.h"
#include "core/vocab.h"

namespace tnohaku {

class RadiusCheck;  // core/geo.h

// Lists of ids in one array. A facet has up to some 100,000 combinations at 1M records,
// each a short list: a vector each would cost 40-60 bytes over its ids.
class IdLists {
  public:
    // Appends a list; its index is the previous size().
    void Add(const std::vector<uint32_t>& ids) {
        ids_.insert(ids_.end(), ids.begin(), ids.end());
        starts_.push_back(static_cast<uint32_t>(ids_.size()));
    }
    std::span<const uint32_t> operator[](size_t i) const {
        return {ids_.data() + starts_[i], starts_[i + 1] - starts_[i]};
    }
    size_t size() const { return starts_.size() - 1; }
    // Every id of every list, to renumber them.
    std::span<uint32_t> all_ids() { return ids_; }
    size_t MemoryBytes() const { return (starts_.size() + ids_.size()) * sizeof(uint32_t); }

  private:
    std::vector<uint32_t> starts_{0};  // list i is ids_[starts_[i], starts_[i + 1])
    std::vector<uint32_t> ids_;
};

// One multi-valued facet slot: docid → combination; combination → code ids → codes.
struct FacetColumn {
    PackedUints combo;               // by docid; 0 = the record has none
    IdLists combo_codes;             // by combination id (0: empty)
    std::vector<std::string> codes;  // by code id, in string order
    // By combination id: the documents that have it, of all, to count a set that holds
    // most of them by what it lacks.
    std::vector<uint32_t> live_counts;
};

// The area facet in one column: a record's region membership, declared regions and
// municipalities and national flag (slots 11–14) as one combination, and per combination
// the regions and municipalities whose area filter it matches as a local record
// (municipalities: declared ones and every municipality of a declared region).
struct AreaColumn {
    PackedUints combo;              // by docid
    std::vector<uint8_t> national;  // by combination: 1 for a national record
    IdLists regions;                // by combination: ids into region_codes
    IdLists municipalities;         // by combination: ids into municipality_codes
    std::vector<std::string> region_codes, municipality_codes;
    std::vector<uint32_t> live_counts;  // by combination, as FacetColumn's
    size_t combos() const { return national.size(); }
};

// Orders the column search can sort by; each is a rank per docid (0 = first).
enum class RankOrder { kNameFi, kNameSv, kNameEn, kStartDay, kEndDay, kUpdated, kId };
inline constexpr size_t kRankOrders = 7;

struct ColumnStoreOptions {
    size_t set_cache_bytes = 32u << 20;  // cached word and clause sets per revision
};

class ColumnStore {
  public:
    // Reads every facet, date, location and sort slot of `db` (its current revision).
    // kUnavailable when the database cannot be read.
    static Result<std::shared_ptr<const ColumnStore>> Build(const Xapian::Database& db,
                                                            const Vocabulary& vocab,
                                                            const ColumnStoreOptions& options);

    // Docids run from 1 to size()-1; DocSets of this store have this size.
    size_t size() const { return live_.size(); }
    const DocSet& live() const { return live_; }               // documents that exist
    uint64_t live_count() const { return live_count_; }        // live().Count()
    const DocSet& national_docs() const { return national_; }  // records marked national

    // The column of a facet (not kArea; kNational is slot 14's national/local).
    const FacetColumn& Facet(SearchFacet facet) const;
    const AreaColumn& Area() const { return area_; }
    // Serial day of the period's first / last day; nullopt = open.
    std::optional<int32_t> StartDay(uint32_t docid) const;
    std::optional<int32_t> EndDay(uint32_t docid) const;
    const PackedUints& Rank(RankOrder order) const { return ranks_[static_cast<size_t>(order)]; }
    // Distance in km from `point` to the nearest location of the document; nullopt
    // without locations. The same haversine as core/geo.h, so both paths agree exactly.
    std::optional<double> NearestKm(uint32_t docid, const GeoPoint& point) const;
    // Whether NearestKm(docid, point) <= the radius of `check` (core/geo.h).
    bool Within(uint32_t docid, const RadiusCheck& check) const;

    // Document lengths (the sum of the wdfs, as Xapian's BM25 reads them) by docid, for
    // scoring a text query term at a time (core/text_scorer.h).
    const PackedUints& DocLengths() const { return doc_lengths_; }
    SetCache& sets() const { return *sets_; }
    // Bytes held by the columns (not the set cache), for the metrics.
    size_t MemoryBytes() const;

  private:
    ColumnStore() = default;
    friend struct ColumnStoreBuilder;

    DocSet live_, national_;
    uint64_t live_count_ = 0;
    std::array<FacetColumn, 9> facets_;  // by FacetIndex() in column_store.cpp
    AreaColumn area_;
    std::vector<int32_t> start_, end_;  // kOpenDay when absent
    std::array<PackedUints, kRankOrders> ranks_;
    std::vector<uint32_t> location_begin_;  // by docid; locations of d: [begin[d], begin[d+1])
    std::vector<double> locations_;         // lat, lon pairs
    PackedUints doc_lengths_;               // by docid
    std::unique_ptr<SetCache> sets_;
};

// One ColumnStore per database revision, shared by the searchers of a pool. Keeps the
// stores of the last few revisions asked for (searchers move to a new revision one by one).
class ColumnStoreCache {
  public:
    explicit ColumnStoreCache(ColumnStoreOptions options = {}) : options_(options) {}
    // The store of `db`'s current revision, built on first use (other callers asking for
    // the same revision meanwhile wait for it rather than build it twice).
    Result<std::shared_ptr<const ColumnStore>> Get(const Xapian::Database& db,
                                                   const Vocabulary& vocab);

  private:
    static constexpr size_t kKeep = 2;
    ColumnStoreOptions options_;
    std::mutex mutex_;
    std::list<std::pair<std::string, std::shared_ptr<const ColumnStore>>> stores_;
};

}  // namespace tnohaku
