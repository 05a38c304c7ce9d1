// The column search (core/column_search.h) against the Xapian-native path
// (SearcherOptions::column_search = false): over the shipped corpus plus the search test
// records, with some documents deleted so that docids have gaps, many requests (words,
// filters, national, periods, radius, every sort, paging, facet limits) must give the same
// totals, hits in the same order with the same scores and distances, the same facets and
// the same did_you_mean. A third searcher scores every relevance pass term at a time
// first (core/text_scorer.h, TermScoring::kAlways) and must answer the same again.
#include "core/column_search.h"

#include <cmath>
#include <fstream>

#include <doctest/doctest.h>

#include "core/validate.h"
#include "search_fixture.h"

namespace tnohaku {
namespace {

using testing::TempDir;

std::vector<Record> CorpusAndTestRecords(const Vocabulary& vocab) {
    std::vector<Record> out = testing::SearchTestRecords();
    for (const char* file : {"corpus/seeds.jsonl", "corpus/ptv.jsonl"}) {
        std::ifstream in(testing::SourcePath(file));
        std::string line;
        while (std::getline(in, line)) {
            ParsedRecord parsed = ParseAndValidate(line, vocab);
            if (parsed.ok()) out.push_back(std::move(parsed.record));
        }
    }
    return out;
}

struct TwoPaths {
    TempDir dir;
    std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    std::unique_ptr<Searcher> columns, spies, scored;

    TwoPaths() {
        const std::string path = dir.path().string();
        testing::WriteGeneration(path, 1, CorpusAndTestRecords(*vocab), *vocab);
        {
            // Holes in the docids, as in-place updates and deletions leave them.
            Xapian::WritableDatabase db(path + "/gen-000001", Xapian::DB_OPEN);
            for (Xapian::docid d : {2u, 3u, 50u, 51u, 52u, 400u}) db.delete_document(d);
            db.commit();
        }
        columns = Open(path, true);
        spies = Open(path, false);
        scored = Open(path, true, TermScoring::kAlways);
    }
    std::unique_ptr<Searcher> Open(const std::string& path, bool column_search,
                                   TermScoring scoring = TermScoring::kNever) {
        SearcherOptions options;
        options.index_dir = path;
        options.vocab = vocab;
        options.column_search = column_search;
        options.term_scoring = scoring;
        auto s = Searcher::Open(options);
        REQUIRE_MESSAGE(s.ok(), s.status().message());
        return std::move(s).value();
    }
};

void CheckSameValues(const std::vector<FacetValue>& a, const std::vector<FacetValue>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        CAPTURE(a[i].code);
        CHECK(a[i].code == b[i].code);
        CHECK(a[i].label == b[i].label);
        CHECK(a[i].count == b[i].count);
        CHECK(a[i].selected == b[i].selected);
        CheckSameValues(a[i].children, b[i].children);
    }
}

void CheckSame(const SearchResult& a, const SearchResult& b) {
    CHECK(a.total == b.total);
    CHECK(a.did_you_mean == b.did_you_mean);
    REQUIRE(a.hits.size() == b.hits.size());
    for (size_t i = 0; i < a.hits.size(); ++i) {
        CAPTURE(i);
        CHECK(a.hits[i].id == b.hits[i].id);
        CHECK(std::abs(a.hits[i].score - b.hits[i].score) <= 1e-9 * (1 + b.hits[i].score));
        CHECK(a.hits[i].distance_km == b.hits[i].distance_km);
        CHECK(a.hits[i].highlights == b.hits[i].highlights);
    }
    REQUIRE(a.facets.size() == b.facets.size());
    for (const auto& [facet, values] : a.facets) {
        CAPTURE(SearchFacetName(facet));
        REQUIRE(b.facets.count(facet));
        CheckSameValues(values, b.facets.at(facet));
    }
}

using Rng = testing::Lcg;

using Codes = std::vector<std::string>;

SearchRequest RandomRequest(Rng& rng) {
    SearchRequest r;
    r.q = rng.From<std::string>({"", "", "ohjaus", "nuorten ohjaus", "maahanmuuttajille",
                                 "opinto-ohjaus", "ura", "TE-palvelut", "uravalmenus",
                                 "xyzzy qwerty", "neuvonta palvelu ", "Ohjaamo", "vägledning",
                                 "guidance", "työllisyys oulu", "kou", "ty", "pa"});
    r.lang = rng.From<Lang>({Lang::kFi, Lang::kFi, Lang::kSv, Lang::kEn});
    r.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    if (rng.Pick(4) == 0) r.facets = {SearchFacet::kArea, SearchFacet::kTheme};
    r.regions = rng.From<Codes>({{}, {}, {"17"}, {"01"}, {"17", "15"}, {"11"}});
    r.municipalities = rng.From<Codes>({{}, {}, {}, {"564"}, {"244", "905"}, {"091"}});
    r.include_national = rng.Pick(3) != 0;
    const std::vector<std::pair<SearchFacet, std::vector<Codes>>> filters = {
        {SearchFacet::kTargetGroup, {{}, {}, {"youth"}, {"KR1"}, {"immigrants", "youth"}}},
        {SearchFacet::kTheme, {{}, {}, {}, {"career-guidance"}, {"strategy", "digital"}}},
        {SearchFacet::kType, {{}, {}, {"service"}, {"project", "network"}}},
        {SearchFacet::kChannel, {{}, {}, {}, {"online"}, {"face-to-face", "phone"}}},
        {SearchFacet::kServiceLanguage, {{}, {}, {}, {"fi"}, {"sv", "en"}}},
        {SearchFacet::kServiceClass, {{}, {}, {}, {"P5"}, {"P10.1"}}},
    };
    for (const auto& [facet, choices] : filters) {
        if (rng.Pick(3) != 0) continue;  // most requests filter on few facets
        const Codes& codes = rng.From(choices);
        if (!codes.empty()) r.filters[facet] = codes;
    }
    r.status = rng.From<PeriodStatus>(
        {PeriodStatus::kAny, PeriodStatus::kAny, PeriodStatus::kActive, PeriodStatus::kEnded});
    if (rng.Pick(6) == 0) r.active_on = FirstDay({2025, 3, 1});
    if (rng.Pick(4) == 0) {
        r.near = rng.From<GeoPoint>({testing::kOulu, testing::kHelsinki, testing::kVaasa});
        r.radius_km = rng.From<double>({5, 30, 150});
    }
    r.sort = rng.From<SortOrder>({SortOrder::kRelevance, SortOrder::kRelevance, SortOrder::kName,
                                  SortOrder::kStartDate, SortOrder::kEndDate, SortOrder::kUpdated,
                                  SortOrder::kDistance});
    if (r.sort == SortOrder::kDistance && !r.near) r.near = testing::kOulu;
    r.offset = static_cast<uint32_t>(rng.From<size_t>({0, 0, 3, 20}));
    r.limit = static_cast<uint32_t>(rng.From<size_t>({10, 50}));
    r.facet_limit = static_cast<uint32_t>(rng.From<size_t>({0, 0, 5}));
    return r;
}

TEST_CASE("the column search answers exactly as Xapian's own match passes") {
    TwoPaths paths;
    Rng rng{2026};
    size_t with_hits = 0;
    for (int i = 0; i < 400; ++i) {
        const SearchRequest request = RandomRequest(rng);
        CAPTURE(i);
        CAPTURE(request.q);
        auto a = paths.columns->Search(request);
        auto b = paths.spies->Search(request);
        auto c = paths.scored->Search(request);
        REQUIRE_MESSAGE(a.ok(), a.status().message());
        REQUIRE_MESSAGE(b.ok(), b.status().message());
        REQUIRE_MESSAGE(c.ok(), c.status().message());
        CheckSame(*a, *b);
        CheckSame(*c, *b);
        with_hits += !b->hits.empty();
    }
    CHECK(with_hits > 120);  // the requests are not all empty
}

TEST_CASE("DocSet: members, counting, combining") {
    DocSet a(130), b(130);
    for (uint32_t d : {1u, 63u, 64u, 129u}) a.Add(d);
    for (uint32_t d : {63u, 100u, 129u}) b.Add(d);
    CHECK(a.Count() == 4);
    CHECK(a.Contains(64));
    CHECK_FALSE(a.Contains(65));
    CHECK_FALSE(a.Contains(500));  // beyond the set: not a member
    CHECK((a & b).Count() == 2);
    DocSet u = a;
    u |= b;
    CHECK(u.Count() == 5);
    u.Subtract(a);
    std::vector<uint32_t> left;
    u.ForEach([&](uint32_t d) { left.push_back(d); });
    CHECK(left == std::vector<uint32_t>{100});
    std::vector<uint32_t> a_only;
    a.ForEachNotIn(b, [&](uint32_t d) { a_only.push_back(d); });
    CHECK(a_only == std::vector<uint32_t>{1, 64});
    CHECK(DocSet(10).Empty());
}

TEST_CASE("PackedUints take two bytes per value below 65,536, three below 2^24, else four") {
    std::vector<uint32_t> ids = {0, 3, 65535, 7};
    PackedUints narrow(ids, 65536);
    CHECK(narrow.narrow() != nullptr);
    CHECK(narrow.wide() == nullptr);
    CHECK(narrow.MemoryBytes() == 4 * sizeof(uint16_t));
    ids.push_back(65536);
    ids.push_back(0xfffffe);
    PackedUints triple(ids, 0xffffff);
    CHECK(triple.narrow() == nullptr);
    CHECK(triple.wide() == nullptr);
    CHECK(triple.size() == 6);
    CHECK(triple.MemoryBytes() == 6 * 3);
    ids.push_back(0x1000000);
    PackedUints wide(ids, 0x1000001);
    CHECK(wide.wide() != nullptr);
    CHECK(wide.narrow() == nullptr);
    for (size_t d = 0; d < 4; ++d) CHECK(narrow[d] == wide[d]);
    for (size_t d = 0; d < 6; ++d) CHECK(triple[d] == wide[d]);
    CHECK(wide[4] == 65536);
    CHECK(triple[5] == 0xfffffe);
    CHECK(wide[6] == 0x1000000);
}

TEST_CASE("LruCache keeps the most recently used entries within its budget") {
    auto set = [](size_t size) { return std::make_shared<const DocSet>(size); };
    LruCache<DocSet> cache(3 * 64 + 20);  // three sets of 64 bytes (512 docids) and their keys
    auto insert = [&](const std::string& key, size_t size) {
        auto s = set(size);
        cache.Insert(key, s, s->MemoryBytes());
    };
    insert("a", 512);
    insert("b", 512);
    insert("c", 512);
    CHECK(cache.bytes() == 3 * 65);
    CHECK(cache.Contains("b"));  // asking leaves b the least recently used...
    CHECK(cache.Find("a"));      // ...while a is now the most recent
    insert("d", 512);
    CHECK_FALSE(cache.Find("b"));  // the least recently used went
    CHECK(cache.Find("a"));
    CHECK(cache.Find("d"));
    CHECK(cache.bytes() == 3 * 65);
    insert("huge", 64 * 1024);  // larger than the whole budget: not kept
    CHECK_FALSE(cache.Find("huge"));
    CHECK(cache.Find("d"));
    LruCache<DocSet> off(0);  // a budget of 0 keeps nothing
    off.Insert("a", set(512), 64);
    CHECK_FALSE(off.Find("a"));
}

TEST_CASE("SetCache keeps small sets as docids and large ones as bitsets, finding the same") {
    SetCache cache(1 << 20);
    auto sparse = std::make_shared<DocSet>(6400);  // 800 bytes as a bitset
    for (uint32_t d : {0u, 7u, 64u, 6399u}) sparse->Add(d);
    auto dense = std::make_shared<DocSet>(6400);
    for (uint32_t d = 0; d < 6400; d += 3) dense->Add(d);
    auto edge = std::make_shared<DocSet>(6400);  // 100 members: 400 bytes, half the bitset
    for (uint32_t d = 0; d < 100; ++d) edge->Add(d * 64);
    cache.Insert("sparse", sparse);
    cache.Insert("dense", dense);
    cache.Insert("edge", edge);
    CHECK(cache.bytes() == (4 * 4 + 6) + (800 + 5) + (100 * 4 + 4));
    auto found = cache.Find("sparse");
    REQUIRE(found);
    CHECK(found != sparse);  // rebuilt from its docids
    CHECK(*found == *sparse);
    CHECK(cache.Find("dense") == dense);  // the bitset itself, shared
    CHECK(*cache.Find("edge") == *edge);
    CHECK_FALSE(cache.Find("absent"));
    CHECK(cache.Contains("sparse"));
    CHECK_FALSE(cache.Contains("absent"));
    auto empty = std::make_shared<DocSet>(6400);
    cache.Insert("empty", empty);
    CHECK(*cache.Find("empty") == *empty);
}

}  // namespace
}  // namespace tnohaku
