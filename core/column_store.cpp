#include "core/column_store.h"

#include <malloc.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/geo.h"
#include "core/index_format.h"
#include "core/query_builder.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

constexpr int32_t kOpenDay = INT32_MIN;

// The facets with a column of their own, in storage order.
constexpr SearchFacet kColumnFacets[] = {
    SearchFacet::kTargetGroup, SearchFacet::kTheme,        SearchFacet::kServiceClass,
    SearchFacet::kType,        SearchFacet::kChannel,      SearchFacet::kServiceLanguage,
    SearchFacet::kFunding,     SearchFacet::kOrganisation, SearchFacet::kNational};

size_t FacetIndex(SearchFacet facet) {
    for (size_t i = 0; i < std::size(kColumnFacets); ++i) {
        if (kColumnFacets[i] == facet) return i;
    }
    return SIZE_MAX;
}

// Interns strings to dense ids (0 is reserved for "none" where the caller wants it).
class Interner {
  public:
    explicit Interner(std::vector<std::string>* table) : table_(table) {}
    uint32_t Id(const std::string& s) {
        auto [it, inserted] = ids_.try_emplace(s, static_cast<uint32_t>(table_->size()));
        if (inserted) table_->push_back(s);
        return it->second;
    }

  private:
    std::vector<std::string>* table_;
    std::unordered_map<std::string, uint32_t> ids_;
};

// Calls f(docid, value) for every document with a value in `slot`.
template <typename F>
void ForEachValue(const Xapian::Database& db, Xapian::valueno slot, F&& f) {
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        f(it.get_docid(), *it);
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Building

struct ColumnStoreBuilder {
    const Xapian::Database& db;
    const Vocabulary& vocab;
    ColumnStore& store;
    size_t size;

    FacetColumn ReadFacet(Xapian::valueno slot) {
        FacetColumn column;
        std::vector<uint32_t> ids_by_doc(size, 0);
        column.combo_codes.Add({});  // combination 0: no value
        Interner codes(&column.codes);
        std::unordered_map<std::string, uint32_t> combos;
        ForEachValue(db, slot, [&](Xapian::docid did, const std::string& value) {
            auto [it, inserted] =
                combos.try_emplace(value, static_cast<uint32_t>(column.combo_codes.size()));
            if (inserted) {
                std::vector<uint32_t> ids;
                for (const auto& code : fmt::SplitCodes(value)) ids.push_back(codes.Id(code));
                column.combo_codes.Add(ids);
            }
            if (did < size) ids_by_doc[did] = it->second;
        });
        column.combo = PackedUints(std::move(ids_by_doc), column.combo_codes.size());
        SortCodes(column.codes, column.combo_codes);
        return column;
    }

    // Renumbers `codes` in their string order, in the lists too, so that counts by code
    // id come out in byte order (CodeCounts borrows these lists and binary-searches them).
    static void SortCodes(std::vector<std::string>& codes, IdLists& lists) {
        std::vector<uint32_t> order(codes.size());
        for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](uint32_t a, uint32_t b) { return codes[a] < codes[b]; });
        std::vector<uint32_t> new_id(order.size());
        std::vector<std::string> sorted(order.size());
        for (uint32_t i = 0; i < order.size(); ++i) {
            new_id[order[i]] = i;
            sorted[i] = std::move(codes[order[i]]);
        }
        codes = std::move(sorted);
        for (uint32_t& id : lists.all_ids()) id = new_id[id];
    }

    // How many live documents have each combination of `combo`.
    std::vector<uint32_t> LiveCounts(const PackedUints& combo, size_t combos) const {
        std::vector<uint32_t> counts(combos, 0);
        store.live_.ForEach([&](uint32_t d) { ++counts[combo[d]]; });
        return counts;
    }

    void ReadArea() {
        FacetColumn member = ReadFacet(fmt::kFacetAreaRegion);
        FacetColumn regions = ReadFacet(fmt::kFacetDeclaredRegion);
        FacetColumn municipalities = ReadFacet(fmt::kFacetDeclaredMunicipality);
        const FacetColumn& national = store.Facet(SearchFacet::kNational);
        AreaColumn& area = store.area_;
        std::vector<uint32_t> ids_by_doc(size, 0);
        Interner region_ids(&area.region_codes), municipality_ids(&area.municipality_codes);
        std::map<std::array<uint32_t, 4>, uint32_t> combos;
        store.live_.ForEach([&](uint32_t d) {
            std::array<uint32_t, 4> key{member.combo[d], regions.combo[d], municipalities.combo[d],
                                        national.combo[d]};
            auto [it, inserted] = combos.try_emplace(key, static_cast<uint32_t>(area.combos()));
            if (inserted) {
                bool is_national = false;
                for (uint32_t code : national.combo_codes[key[3]])
                    is_national = is_national || national.codes[code] == "national";
                std::vector<uint32_t> region_list, municipality_list;
                for (uint32_t code : member.combo_codes[key[0]])
                    region_list.push_back(region_ids.Id(member.codes[code]));
                std::set<std::string> effective;
                for (uint32_t code : municipalities.combo_codes[key[2]])
                    effective.insert(municipalities.codes[code]);
                for (uint32_t code : regions.combo_codes[key[1]]) {
                    if (const Code* region = vocab.Find(Facet::kRegion, regions.codes[code])) {
                        effective.insert(region->children.begin(), region->children.end());
                    }
                }
                for (const auto& m : effective) municipality_list.push_back(municipality_ids.Id(m));
                area.national.push_back(is_national ? 1 : 0);
                area.regions.Add(region_list);
                area.municipalities.Add(municipality_list);
            }
            ids_by_doc[d] = it->second;
        });
        area.combo = PackedUints(std::move(ids_by_doc), area.combos());
        area.live_counts = LiveCounts(area.combo, area.combos());
        SortCodes(area.region_codes, area.regions);
        SortCodes(area.municipality_codes, area.municipalities);
    }

    std::vector<int32_t> ReadDays(Xapian::valueno slot) {
        std::vector<int32_t> days(size, kOpenDay);
        ForEachValue(db, slot, [&](Xapian::docid did, const std::string& value) {
            days[did] = static_cast<int32_t>(Xapian::sortable_unserialise(value));
        });
        return days;
    }

    // One string per docid, kept in one buffer: a million names or ids as separate
    // std::strings would double the memory the build needs for a moment.
    struct PackedStrings {
        std::string bytes;
        std::vector<uint32_t> begin;  // by docid, and one past the last
        std::vector<bool> present;
        std::string_view operator[](uint32_t d) const {
            return std::string_view(bytes).substr(begin[d], begin[d + 1] - begin[d]);
        }
    };
    PackedStrings ReadStrings(Xapian::valueno slot) {
        PackedStrings out;
        out.begin.assign(size + 1, 0);
        out.present.assign(size, false);
        uint32_t next = 0;
        ForEachValue(db, slot, [&](Xapian::docid did, const std::string& value) {
            for (; next <= did; ++next) out.begin[next] = static_cast<uint32_t>(out.bytes.size());
            out.bytes += value;
            out.present[did] = true;
        });
        for (; next <= size; ++next) out.begin[next] = static_cast<uint32_t>(out.bytes.size());
        return out;
    }

    // A document to rank, with the first eight bytes of its key as a number (big-endian,
    // zero-padded): most comparisons end there, in memory read in order, and only keys
    // sharing those bytes are compared further. Heads order as their keys do wherever
    // they differ (a zero pad sorts before any byte, as the end of a shorter key does).
    struct Keyed {
        uint64_t head;
        uint32_t docid;
        bool empty;  // the key is empty
    };
    static uint64_t KeyHead(std::string_view key) {
        uint64_t head = 0;
        for (size_t i = 0; i < 8; ++i) {
            head = head << 8 | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
        }
        return head;
    }

    // Ranks by the slot's raw value (bytewise, as Xapian compares sort keys), ties by id
    // (`by_id`, the id order's ranks; null: by docid, for the id order itself);
    // `missing` stands in for documents without a value, `reverse` orders values
    // descending (ids stay ascending), as Xapian::MultiValueKeyMaker does.
    PackedUints RankBy(Xapian::valueno slot, const PackedUints* by_id, std::string_view missing,
                       bool reverse) {
        const PackedStrings keys = ReadStrings(slot);
        auto key = [&](uint32_t d) { return keys.present[d] ? keys[d] : missing; };
        std::vector<Keyed> docs;
        store.live_.ForEach([&](uint32_t d) {
            const std::string_view k = key(d);
            docs.push_back({KeyHead(k), d, k.empty()});
        });
        std::sort(docs.begin(), docs.end(), [&](const Keyed& a, const Keyed& b) {
            // Xapian's reversed components invert every byte, so an absent (empty) value
            // sorts after every other value.
            if (reverse && a.empty != b.empty) return b.empty;
            if (a.head != b.head) return reverse ? a.head > b.head : a.head < b.head;
            const std::string_view ka = key(a.docid), kb = key(b.docid);
            if (ka != kb) return reverse ? ka > kb : ka < kb;
            return by_id ? (*by_id)[a.docid] < (*by_id)[b.docid] : a.docid < b.docid;
        });
        // Docids without a document (never in a set) rank after every document.
        std::vector<uint32_t> rank(size, static_cast<uint32_t>(docs.size()));
        for (size_t i = 0; i < docs.size(); ++i) rank[docs[i].docid] = static_cast<uint32_t>(i);
        return PackedUints(std::move(rank), docs.size() + 1);
    }

    // The id order first: the others break ties by its ranks (ids are unique, so it
    // needs no tie-break of its own).
    void ReadRanks() {
        auto& r = store.ranks_;
        r[static_cast<size_t>(RankOrder::kId)] = RankBy(fmt::kId, nullptr, "", false);
        const PackedUints& by_id = r[static_cast<size_t>(RankOrder::kId)];
        const std::string open_end(16, '\xff');
        r[static_cast<size_t>(RankOrder::kNameFi)] = RankBy(fmt::kNameKeyFi, &by_id, "", false);
        r[static_cast<size_t>(RankOrder::kNameSv)] = RankBy(fmt::kNameKeySv, &by_id, "", false);
        r[static_cast<size_t>(RankOrder::kNameEn)] = RankBy(fmt::kNameKeyEn, &by_id, "", false);
        r[static_cast<size_t>(RankOrder::kStartDay)] = RankBy(fmt::kStartDay, &by_id, "", false);
        r[static_cast<size_t>(RankOrder::kEndDay)] = RankBy(fmt::kEndDay, &by_id, open_end, false);
        r[static_cast<size_t>(RankOrder::kUpdated)] = RankBy(fmt::kUpdatedDay, &by_id, "", true);
    }

    void ReadLocations() {
        store.location_begin_.assign(size + 1, 0);
        std::vector<std::pair<Xapian::docid, std::string>> packed;
        ForEachValue(db, fmt::kLocations, [&](Xapian::docid did, const std::string& value) {
            packed.emplace_back(did, value);
        });
        size_t next = 0;
        for (uint32_t d = 0; d < size; ++d) {
            store.location_begin_[d] = static_cast<uint32_t>(store.locations_.size() / 2);
            if (next < packed.size() && packed[next].first == d) {
                for (const auto& [lat, lon] : fmt::UnpackLocations(packed[next].second)) {
                    store.locations_.push_back(lat);
                    store.locations_.push_back(lon);
                }
                ++next;
            }
        }
        store.location_begin_[size] = static_cast<uint32_t>(store.locations_.size() / 2);
    }

    void Build() {
        store.live_ = DocSet(size);
        std::vector<uint32_t> lengths(size, 0);
        uint32_t longest = 0;
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            store.live_.Add(*it);
            lengths[*it] = it.get_doclength();
            longest = std::max(longest, lengths[*it]);
        }
        store.doc_lengths_ = PackedUints(std::move(lengths), size_t{longest} + 1);
        store.live_count_ = store.live_.Count();
        for (SearchFacet f : kColumnFacets) {
            FacetColumn& column = store.facets_[FacetIndex(f)];
            column = ReadFacet(QueryBuilder::FacetSlot(f));
            column.live_counts = LiveCounts(column.combo, column.combo_codes.size());
        }
        store.national_ = DocSet(size);
        const FacetColumn& national = store.Facet(SearchFacet::kNational);
        for (uint32_t d = 0; d < size; ++d) {
            for (uint32_t code : national.combo_codes[national.combo[d]]) {
                if (national.codes[code] == "national") store.national_.Add(d);
            }
        }
        ReadArea();
        store.start_ = ReadDays(fmt::kStartDay);
        store.end_ = ReadDays(fmt::kEndDay);
        ReadRanks();
        ReadLocations();
    }
};

Result<std::shared_ptr<const ColumnStore>> ColumnStore::Build(const Xapian::Database& db,
                                                              const Vocabulary& vocab,
                                                              const ColumnStoreOptions& options) {
    std::shared_ptr<ColumnStore> store(new ColumnStore());
    store->sets_ = std::make_unique<SetCache>(options.set_cache_bytes);
    try {
        ColumnStoreBuilder builder{db, vocab, *store, size_t{db.get_lastdocid()} + 1};
        builder.Build();
        // The build's temporary buffers are freed: give the memory back to the system, so
        // that a server's resident size is what it keeps, not what it needed for a moment.
        // (glibc's malloc only, as in the tests; in the programs jemalloc's background
        // thread does it: core/allocator_options.cpp.)
        malloc_trim(0);
    } catch (const Xapian::Error& e) {
        return Status::Unavailable(std::string("cannot read the index's columns: ") + e.get_type() +
                                   ": " + e.get_msg());
    }
    return std::shared_ptr<const ColumnStore>(std::move(store));
}

// ---------------------------------------------------------------------------------------
// Reading

const FacetColumn& ColumnStore::Facet(SearchFacet facet) const {
    return facets_[FacetIndex(facet)];
}

std::optional<int32_t> ColumnStore::StartDay(uint32_t docid) const {
    return start_[docid] == kOpenDay ? std::nullopt : std::optional(start_[docid]);
}

std::optional<int32_t> ColumnStore::EndDay(uint32_t docid) const {
    return end_[docid] == kOpenDay ? std::nullopt : std::optional(end_[docid]);
}

std::optional<double> ColumnStore::NearestKm(uint32_t docid, const GeoPoint& point) const {
    std::optional<double> best;
    for (uint32_t i = location_begin_[docid]; i < location_begin_[docid + 1]; ++i) {
        double d = HaversineKm(point.lat, point.lon, locations_[2 * i], locations_[2 * i + 1]);
        if (!best || d < *best) best = d;
    }
    return best;
}

bool ColumnStore::Within(uint32_t docid, const RadiusCheck& check) const {
    for (uint32_t i = location_begin_[docid]; i < location_begin_[docid + 1]; ++i) {
        if (check.Within(locations_[2 * i], locations_[2 * i + 1])) return true;
    }
    return false;
}

size_t ColumnStore::MemoryBytes() const {
    size_t bytes = live_.MemoryBytes() + national_.MemoryBytes();
    for (const auto& f : facets_) {
        bytes += f.combo.MemoryBytes() + f.combo_codes.MemoryBytes() +
                 f.live_counts.size() * sizeof(uint32_t);
    }
    bytes += area_.combo.MemoryBytes() + area_.national.size() + area_.regions.MemoryBytes() +
             area_.municipalities.MemoryBytes() + area_.live_counts.size() * sizeof(uint32_t);
    bytes += (start_.size() + end_.size()) * sizeof(int32_t);
    for (const auto& r : ranks_) bytes += r.MemoryBytes();
    bytes += location_begin_.size() * sizeof(uint32_t) + locations_.size() * sizeof(double);
    bytes += doc_lengths_.MemoryBytes();
    return bytes;
}

// ---------------------------------------------------------------------------------------
// ColumnStoreCache

Result<std::shared_ptr<const ColumnStore>> ColumnStoreCache::Get(const Xapian::Database& db,
                                                                 const Vocabulary& vocab) {
    std::string key;
    try {
        key = db.get_uuid() + ":" + std::to_string(db.get_revision());
    } catch (const Xapian::Error& e) {
        return Status::Unavailable("cannot read the index's revision: " + e.get_msg());
    }
    // Held while building: a second searcher of the same revision waits and shares.
    std::lock_guard lock(mutex_);
    for (auto it = stores_.begin(); it != stores_.end(); ++it) {
        if (it->first == key) {
            stores_.splice(stores_.begin(), stores_, it);
            return stores_.front().second;
        }
    }
    TRY_ASSIGN(auto store, ColumnStore::Build(db, vocab, options_));
    stores_.emplace_front(key, store);
    if (stores_.size() > kKeep) stores_.pop_back();
    return store;
}

}  // namespace tnohaku
