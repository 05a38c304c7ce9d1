// The searcher end to end over a small index (tests/core/search_fixture.h): Finnish
// matching through the whole stack, ranking, filters, dates, geo, sorting and paging,
// highlighting, suggestions, spelling, records, generations and the pool.
#include "core/html.h"
#include "core/searcher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <doctest/doctest.h>

#include "core/highlight.h"
#include "core/spelling.h"
#include "search_fixture.h"

namespace tnohaku {
namespace {

using testing::Ids;
using testing::MustSearch;
using testing::SearchIndex;

SearchRequest Q(std::string q, uint32_t limit = 100) {
    SearchRequest r;
    r.q = std::move(q);
    r.limit = limit;
    return r;
}

// A searcher over the generations written into `dir`, with the fixture's vocabulary.
std::unique_ptr<Searcher> OpenSearcher(const testing::TempDir& dir) {
    SearcherOptions options;
    options.vocab = SearchIndex::Get().vocab;
    options.index_dir = dir.path().string();
    auto opened = Searcher::Open(options);
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    return std::move(opened).value();
}

bool Has(const SearchResult& r, const std::string& id) {
    auto ids = Ids(r);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

size_t Rank(const SearchResult& r, const std::string& id) {
    auto ids = Ids(r);
    return static_cast<size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

// ---------------------------------------------------------------------------------------
// Matching and ranking

TEST_CASE("Finnish through the whole stack: inflections, compounds, hyphens, missing umlauts") {
    CHECK(Has(MustSearch(Q("nuorille")), "nuoret-tyoelamaan"));
    CHECK(Has(MustSearch(Q("palvelu")), "tyollisyyspalvelut-kempele"));
    CHECK(Has(MustSearch(Q("opinto-ohjaus")), "opo-koulutus"));
    CHECK(Has(MustSearch(Q("etsiva nuorisotyo")), "etsiva-nuorisotyo-vaasa"));
    CHECK(Has(MustSearch(Q("Etsivä nuorisotyö")), "etsiva-nuorisotyo-vaasa"));
    CHECK(Has(MustSearch(Q("KEMPELEEN")), "tyollisyyspalvelut-kempele"));
    // Swedish and English text with their own analysis.
    CHECK(Has(MustSearch(Q("ungdomsarbete")), "etsiva-nuorisotyo-vaasa"));
    CHECK(Has(MustSearch(Q("studiehandledningen")), "studiehandledning-vasa"));
    CHECK(Has(MustSearch(Q("guides")), "opintoluotsi-chat"));
    // Organisation names are searchable.
    CHECK(Has(MustSearch(Q("opetushallitus")), "opo-koulutus"));
}

TEST_CASE("a whole-word match outranks a compound-part match; a name match a description match") {
    SearchResult palvelu = MustSearch(Q("palvelu"));
    REQUIRE(Has(palvelu, "digitaalinen-palvelu"));
    REQUIRE(Has(palvelu, "tyollisyyspalvelut-kempele"));
    CHECK(Rank(palvelu, "digitaalinen-palvelu") < Rank(palvelu, "tyollisyyspalvelut-kempele"));
    CHECK(palvelu.hits[0].id == "digitaalinen-palvelu");
    CHECK(palvelu.hits[0].score > 0);

    SearchResult m = MustSearch(Q("maahanmuuttajat"));
    REQUIRE(Has(m, "maahanmuuttajien-neuvonta"));
    REQUIRE(Has(m, "aikuisten-neuvonta"));
    CHECK(Rank(m, "maahanmuuttajien-neuvonta") < Rank(m, "aikuisten-neuvonta"));
}

TEST_CASE("words are AND-ed, with OR as the fallback when together they find nothing") {
    SearchResult both = MustSearch(Q("nuorisotyö vaasa"));
    CHECK(Ids(both) == std::vector<std::string>{"etsiva-nuorisotyo-vaasa"});
    SearchResult fallback = MustSearch(Q("ohjaamo xyzzyq"));
    CHECK(Has(fallback, "ohjaamo-oulu"));
    CHECK(Has(fallback, "helsingin-ohjaamo"));
}

TEST_CASE("the last word matches as a prefix while typing, not after a space") {
    CHECK(Has(MustSearch(Q("maahanmuutt")), "maahanmuuttajien-neuvonta"));
    CHECK(Has(MustSearch(Q("etsivä nuoriso")), "etsiva-nuorisotyo-vaasa"));
    CHECK_FALSE(Has(MustSearch(Q("maahanmuutt ")), "maahanmuuttajien-neuvonta"));
}

TEST_CASE("query syntax does not exist: any input is words and never an error") {
    for (const char* q : {"\"nuoret AND (", "ohjaus OR", "NOT", "*", "-", "a:b", "\xff\xfe", "((((",
                          "\"\"", "nuoret -työ +oulu", "xapian::query"}) {
        CAPTURE(q);
        auto result = SearchIndex::Get().searcher->Search(Q(q));
        CHECK_MESSAGE(result.ok(), result.status().message());
    }
    std::string long_query;
    for (int i = 0; i < 200; ++i) long_query += "ohjaus ";
    CHECK(SearchIndex::Get().searcher->Search(Q(long_query)).ok());
}

TEST_CASE("the request language boosts its own fields and picks the display text") {
    SearchRequest r = Q("ohjaamo");
    r.lang = Lang::kSv;
    SearchResult result = MustSearch(r);
    REQUIRE(Has(result, "ohjaamo-oulu"));
    const Hit& hit = result.hits[Rank(result, "ohjaamo-oulu")];
    CHECK(hit.record.name.sv == "Navigatorn Uleåborg");
    CHECK(hit.highlights.at("name") ==
          "Navigatorn Uleåborg");  // sv name shown, nothing to mark in it
}

// ---------------------------------------------------------------------------------------
// Filters

TEST_CASE("area filters: region membership, municipality via declared region, national") {
    SearchRequest r;
    r.limit = 100;
    r.municipalities = {"564"};
    SearchResult oulu = MustSearch(r);
    CHECK(Has(oulu, "ohjaamo-oulu"));
    CHECK(Has(oulu, "nuoret-tyoelamaan"));                 // region 17 whole
    CHECK(Has(oulu, "digitaalinen-palvelu"));              // national
    CHECK_FALSE(Has(oulu, "tyollisyyspalvelut-kempele"));  // Kempele only
    r.include_national = false;
    SearchResult local = MustSearch(r);
    CHECK_FALSE(Has(local, "digitaalinen-palvelu"));
    CHECK_FALSE(Has(local, "tyoelamapalvelut-verkossa"));  // national, though it names region 17
    CHECK(local.total == oulu.total - 5);

    SearchRequest region;
    region.limit = 100;
    region.regions = {"17"};
    SearchResult north = MustSearch(region);
    CHECK(Has(north, "tyollisyyspalvelut-kempele"));
    CHECK_FALSE(Has(north, "etsiva-nuorisotyo-vaasa"));

    SearchRequest none;
    none.limit = 100;
    none.include_national = false;
    SearchResult all_local = MustSearch(none);
    CHECK(all_local.total == SearchIndex::Get().records.size() - 5);
}

TEST_CASE("hierarchical filters: a parent code selects its descendants; OR within, AND across") {
    SearchRequest r;
    r.limit = 100;
    r.filters[SearchFacet::kTargetGroup] = {"students"};
    SearchResult students = MustSearch(r);
    CHECK(Has(students, "studiehandledning-vasa"));  // students-higher
    CHECK(Has(students, "kevat-kurssi"));            // students-basic
    CHECK(Has(students, "nuoret-tyoelamaan"));       // students-upper-secondary
    CHECK(Has(students, "opintoluotsi-chat"));
    CHECK(students.total == 4);
    r.filters[SearchFacet::kTargetGroup] = {"students-higher", "immigrants"};
    CHECK(MustSearch(r).total == 2);
    r.filters[SearchFacet::kServiceLanguage] = {"sv"};
    CHECK(Ids(MustSearch(r)) == std::vector<std::string>{"studiehandledning-vasa"});
    SearchRequest funding;
    funding.limit = 100;
    funding.filters[SearchFacet::kFunding] = {"eu"};
    CHECK(MustSearch(funding).total == 3);  // esr-plus ×3
    funding.filters[SearchFacet::kOrganisation] = {"pohjois-pohjanmaan-liitto"};
    CHECK(Ids(MustSearch(funding)) == std::vector<std::string>{"nuoret-tyoelamaan"});
}

TEST_CASE("periods: active_on with partial dates, and status relative to today") {
    auto active_on = [](int y, int m, int d) {
        SearchRequest r;
        r.limit = 100;
        r.active_on = FirstDay({y, m, d});
        return MustSearch(r);
    };
    // ohjausverkosto runs 2019–2024: to the end of 2024.
    CHECK(Has(active_on(2024, 12, 31), "ohjausverkosto"));
    CHECK_FALSE(Has(active_on(2025, 1, 1), "ohjausverkosto"));
    CHECK_FALSE(Has(active_on(2018, 12, 31), "ohjausverkosto"));
    CHECK(Has(active_on(2019, 1, 1), "ohjausverkosto"));
    // kevat-kurssi runs 2025-03 – 2025-06.
    CHECK_FALSE(Has(active_on(2025, 2, 28), "kevat-kurssi"));
    CHECK(Has(active_on(2025, 3, 1), "kevat-kurssi"));
    CHECK(Has(active_on(2025, 6, 30), "kevat-kurssi"));
    CHECK_FALSE(Has(active_on(2025, 7, 1), "kevat-kurssi"));
    // Open periods: no start (tyollisyyspalvelut), no end (ohjaamo since 2015).
    CHECK(Has(active_on(1990, 1, 1), "tyollisyyspalvelut-kempele"));
    CHECK(Has(active_on(2100, 1, 1), "ohjaamo-oulu"));
    CHECK_FALSE(Has(active_on(2014, 12, 31), "ohjaamo-oulu"));

    auto status = [](PeriodStatus s) {
        SearchRequest r;
        r.limit = 100;
        r.status = s;
        auto ids = Ids(MustSearch(r));
        return std::set<std::string>(ids.begin(), ids.end());
    };
    CHECK(status(PeriodStatus::kEnded) ==
          std::set<std::string>{"opo-koulutus", "script-record", "ohjausverkosto", "kevat-kurssi"});
    CHECK(status(PeriodStatus::kUpcoming) == std::set<std::string>{"opintoluotsi-chat"});
    auto active = status(PeriodStatus::kActive);
    CHECK(active.size() == SearchIndex::Get().records.size() - 5);
    CHECK(active.count("nuoret-tyoelamaan"));     // ends in 200 days
    CHECK(active.count("digitaalinen-palvelu"));  // no period at all
}

// ---------------------------------------------------------------------------------------
// Geo, sorting and paging

TEST_CASE("near: records within the radius by their nearest location, with distances") {
    SearchRequest r;
    r.limit = 100;
    r.near = testing::kOulu;
    r.radius_km = 20;
    r.sort = SortOrder::kDistance;
    SearchResult result = MustSearch(r);
    CHECK(Ids(result) == std::vector<std::string>{"ohjaamo-oulu", "perhevapaa-kempele-oulu",
                                                  "maahanmuuttajien-neuvonta",
                                                  "tyollisyyspalvelut-kempele"});
    REQUIRE(result.hits.size() == 4);
    CHECK(*result.hits[0].distance_km == doctest::Approx(0.0));
    CHECK(*result.hits[1].distance_km == doctest::Approx(0.0));  // its Oulu location, not Kempele
    CHECK(*result.hits[3].distance_km == doctest::Approx(11.2).epsilon(0.02));
    r.radius_km = 5;
    CHECK(MustSearch(r).total == 3);
    r.radius_km = 1000;
    SearchResult far = MustSearch(r);
    CHECK(far.total == 7);  // every record with a location; national ones have none
    CHECK(far.hits.back().id == "helsingin-ohjaamo");
    CHECK(*far.hits.back().distance_km == doctest::Approx(540).epsilon(0.02));
    // Relevance with near: distances still given.
    SearchRequest text = Q("ohjaamo");
    text.near = testing::kHelsinki;
    text.radius_km = 10;
    SearchResult h = MustSearch(text);
    CHECK(Ids(h) == std::vector<std::string>{"helsingin-ohjaamo"});
    CHECK(h.hits[0].distance_km.has_value());
    CHECK_FALSE(MustSearch(Q("ohjaamo")).hits[0].distance_km.has_value());
}

TEST_CASE("sorts: name by collation, dates with open ends placed sensibly, updated newest first") {
    SearchRequest r;
    r.limit = 100;
    SearchResult by_name = MustSearch(r);  // browsing: by name
    REQUIRE(by_name.hits.size() == SearchIndex::Get().records.size());
    CHECK(by_name.hits[0].id == "aikuisten-neuvonta");
    for (const Hit& h : by_name.hits) CHECK(h.score == 0);

    r.sort = SortOrder::kUpdated;
    auto updated = Ids(MustSearch(r));
    CHECK(std::vector<std::string>(updated.begin(), updated.begin() + 6) ==
          std::vector<std::string>{"uravalmennus", "nuoret-tyoelamaan", "ohjausverkosto",
                                   "ohjaamo-oulu", "tyollisyyspalvelut-kempele",
                                   "helsingin-ohjaamo"});
    r.sort = SortOrder::kEndDate;
    auto ends = Ids(MustSearch(r));
    CHECK(ends[0] == "opo-koulutus");             // 2023-12
    CHECK(ends[1] == "ohjausverkosto");           // 2024
    CHECK(ends[2] == "kevat-kurssi");             // 2025-06
    CHECK(ends[3] == "script-record");            // 10 days ago
    CHECK(ends[4] == "nuoret-tyoelamaan");        // in 200 days
    CHECK(ends[5] == "perhevapaa-kempele-oulu");  // 2027-06, then the open-ended ones
    r.sort = SortOrder::kStartDate;
    auto starts = Ids(MustSearch(r));
    CHECK(starts.back() == "opintoluotsi-chat");  // in 30 days; records without a start first
    CHECK(starts[starts.size() - 2] ==
          "perhevapaa-kempele-oulu");  // 2025-03-01, id after kevat-kurssi
}

TEST_CASE("paging is stable: pages concatenate to the full ordering, for every sort") {
    struct Case {
        const char* q;
        SortOrder sort;
    };
    for (const Case& c : {Case{"", SortOrder::kRelevance}, Case{"ohjaus", SortOrder::kRelevance},
                          Case{"neuvonta", SortOrder::kRelevance}, Case{"", SortOrder::kName},
                          Case{"palvelu", SortOrder::kName}, Case{"", SortOrder::kDistance},
                          Case{"", SortOrder::kStartDate}, Case{"", SortOrder::kEndDate},
                          Case{"", SortOrder::kUpdated}}) {
        for (Lang lang : kAllLangs) {
            CAPTURE(c.q);
            CAPTURE(static_cast<int>(c.sort));
            SearchRequest r = Q(c.q);
            r.sort = c.sort;
            r.lang = lang;
            if (c.sort == SortOrder::kDistance) {
                r.near = testing::kVaasa;
                r.radius_km = 2000;
            }
            SearchResult full = MustSearch(r);
            REQUIRE(full.total == full.hits.size());
            std::vector<std::string> paged;
            for (uint32_t offset = 0; offset < full.total + 3; offset += 3) {
                SearchRequest page = r;
                page.offset = offset;
                page.limit = 3;
                SearchResult p = MustSearch(page);
                CHECK(p.total == full.total);
                for (const auto& id : Ids(p)) paged.push_back(id);
            }
            CHECK(paged == Ids(full));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Highlighting

TEST_CASE("highlights: all catalogue text escaped, matched words marked") {
    SearchResult result = MustSearch(Q("vaarallinen"));
    REQUIRE(result.hits.size() == 1);
    const auto& h = result.hits[0].highlights;
    CHECK(h.at("name") ==
          "<mark>Vaarallinen</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
          "&quot;lainaus&quot; &#39;yksi&#39;");
    CHECK(h.at("summary") == "Testi &lt;b&gt;lihava&lt;/b&gt; &amp; muuta.");
    CHECK(h.count("description") == 0);

    SearchResult script = MustSearch(Q("script lainaus"));
    REQUIRE(script.hits.size() == 1);
    CHECK(script.hits[0].highlights.at("name") ==
          "Vaarallinen &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
          "&amp; "
          "&quot;<mark>lainaus</mark>&quot; &#39;yksi&#39;");

    // Inflected and compound forms are marked through the analysis.
    SearchResult nuoret = MustSearch(Q("nuorille"));
    const Hit& n = nuoret.hits[Rank(nuoret, "nuoret-tyoelamaan")];
    CHECK(n.highlights.at("name") == "<mark>Nuoret</mark> työelämään");
    CHECK(n.highlights.at("summary") == "Hanke auttaa <mark>nuoria</mark> työllistymään.");
    SearchResult palvelu = MustSearch(Q("palvelu"));
    const Hit& k = palvelu.hits[Rank(palvelu, "tyollisyyspalvelut-kempele")];
    CHECK(k.highlights.at("name") == "Kempeleen <mark>työllisyyspalvelut</mark>");
    SearchResult umlauts = MustSearch(Q("etsiva nuorisotyo"));
    CHECK(umlauts.hits[0].highlights.at("name") ==
          "<mark>Etsivä</mark> <mark>nuorisotyö</mark> Vaasa");
    // As-you-type prefix.
    SearchResult prefix = MustSearch(Q("maahanmuutt"));
    CHECK(prefix.hits[0].highlights.at("name") == "<mark>Maahanmuuttajien</mark> neuvonta");
}

TEST_CASE("description highlight: a window of words around the first match") {
    SearchResult result = MustSearch(Q("kotoutuminen"));
    REQUIRE(Has(result, "uravalmennus"));
    const std::string& d = result.hits[Rank(result, "uravalmennus")].highlights.at("description");
    CHECK(d.find("<mark>Kotoutumisen</mark>") != std::string::npos);
    CHECK(d.rfind("…", 0) == 0);  // starts with an ellipsis
    CHECK(d.size() > 3);
    CHECK(d.substr(d.size() - 3) == "…");               // and ends with one
    CHECK(d.find("Tämä kuvaus") == std::string::npos);  // the start is cut
    size_t words = std::count(d.begin(), d.end(), ' ') + 1;
    CHECK(words <= 31);
    CHECK(words >= 25);
    // Browsing: no marks, the description cut to the first words.
    SearchRequest browse;
    browse.limit = 100;
    SearchResult all = MustSearch(browse);
    const std::string& first = all.hits[Rank(all, "uravalmennus")].highlights.at("description");
    CHECK(first.rfind("Tämä kuvaus", 0) == 0);
    CHECK(first.find("<mark>") == std::string::npos);
}

TEST_CASE("EscapeHtml escapes the five characters") {
    CHECK(EscapeHtml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(EscapeHtml("äö") == "äö");
    CHECK(EscapeHtml("Ylöjärvi – ok") == "Ylöjärvi – ok");
    CHECK(EscapeHtml("") == "");
}

// ---------------------------------------------------------------------------------------
// Spelling, suggestions, records

TEST_CASE("did_you_mean: a one-letter typo is corrected, and searched when nothing matched") {
    SearchResult typo = MustSearch(Q("ohjaamp"));
    REQUIRE(typo.did_you_mean.has_value());
    CHECK(*typo.did_you_mean == "ohjaamo");
    CHECK(Has(typo, "ohjaamo-oulu"));  // the correction's results
    SearchResult ura = MustSearch(Q("uravalmenus"));
    REQUIRE(ura.did_you_mean.has_value());
    CHECK(*ura.did_you_mean == "uravalmennus");
    CHECK(Has(ura, "uravalmennus"));  // "Uravalmennuslinjat" by its compound part
    // One word of two misspelt: the OR fallback finds "neuvontaa" alone, yet the
    // correction is searched since every word together found nothing.
    SearchResult two = MustSearch(Q("neuvontaa maahanmuutajia"));
    CHECK(two.did_you_mean == std::optional<std::string>("neuvontaa maahanmuuttajia"));
    CHECK(Ids(two) == std::vector<std::string>{"maahanmuuttajien-neuvonta", "aikuisten-neuvonta"});
    // Known words with few results are left alone.
    SearchResult known = MustSearch(Q("uravalmennuslinjat"));
    CHECK(known.total >= 1);
    CHECK_FALSE(known.did_you_mean.has_value());
    CHECK_FALSE(MustSearch(Q("qqqqqqq")).did_you_mean.has_value());
    CHECK(EditDistance("ohjaamo", "ohjaamp") == 1);
    CHECK(EditDistance("nuroet", "nuoret") == 1);
    CHECK(EditDistance("työ", "tyo") == 1);
}

TEST_CASE("suggest: record names first, then words completing the last one") {
    Searcher& s = *SearchIndex::Get().searcher;
    auto ohja = s.Suggest("ohja", Lang::kFi, 10);
    REQUIRE(ohja.ok());
    REQUIRE(ohja->size() >= 3);
    CHECK((*ohja)[0].text == "Ohjaamo Oulu");
    CHECK((*ohja)[0].kind == "name");
    CHECK((*ohja)[0].id == "ohjaamo-oulu");
    bool helsinki = false, term = false;
    for (const auto& x : *ohja) {
        helsinki = helsinki || x.text == "Helsingin Ohjaamo";
        if (x.kind == "term") {
            term = true;
            CHECK(x.text.rfind("ohja", 0) == 0);
        }
    }
    CHECK(helsinki);
    CHECK(term);
    auto limited = s.Suggest("ohja", Lang::kFi, 2);
    REQUIRE(limited.ok());
    CHECK(limited->size() == 2);
    auto twenty = s.Suggest("o", Lang::kFi, 20);
    REQUIRE(twenty.ok());
    CHECK(twenty->size() <= 10);
    auto two_words = s.Suggest("etsivä nuor", Lang::kFi, 5);
    REQUIRE(two_words.ok());
    REQUIRE(!two_words->empty());
    CHECK((*two_words)[0].text == "Etsivä nuorisotyö Vaasa");
    auto sv = s.Suggest("studie", Lang::kSv, 5);
    REQUIRE(sv.ok());
    REQUIRE(!sv->empty());
    CHECK((*sv)[0].text == "Studiehandledning i Vasa");
    auto none = s.Suggest("   ", Lang::kFi, 5);
    REQUIRE(none.ok());
    CHECK(none->empty());
    // Distinct.
    std::set<std::string> texts;
    for (const auto& x : *ohja) CHECK(texts.insert(x.text).second);
}

TEST_CASE("Get: the stored record by id; kNotFound otherwise") {
    Searcher& s = *SearchIndex::Get().searcher;
    auto r = s.Get("ohjaamo-oulu");
    REQUIRE(r.ok());
    CHECK(RecordToJson(*r) == RecordToJson(SearchIndex::Get().Find("ohjaamo-oulu")));
    for (const char* id : {"no-such-record", "", "ohjaamo"}) {
        auto missing = s.Get(id);
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.status().code() == Status::Code::kNotFound);
    }
    IndexInfo info = s.Info();
    CHECK(info.generation == 1);
    CHECK(info.doc_count == SearchIndex::Get().records.size());
    CHECK(info.created == "2026-01-01T00:00:00Z");
}

TEST_CASE("bad requests that slipped past the server are kInvalidArgument") {
    Searcher& s = *SearchIndex::Get().searcher;
    SearchRequest r;
    r.sort = SortOrder::kDistance;
    CHECK(s.Search(r).status().code() == Status::Code::kInvalidArgument);
    r.near = GeoPoint{95, 0};
    CHECK(s.Search(r).status().code() == Status::Code::kInvalidArgument);
    r.near = testing::kOulu;
    r.radius_km = -1;
    CHECK(s.Search(r).status().code() == Status::Code::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------
// Opening, generations, the pool

TEST_CASE("Open: a missing folder, missing CURRENT or another format is kUnavailable") {
    auto vocab = SearchIndex::Get().vocab;
    testing::TempDir dir;
    SearcherOptions options;
    options.vocab = vocab;
    options.index_dir = dir / "nothing-here";
    auto missing = Searcher::Open(options);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == Status::Code::kUnavailable);
    options.index_dir = dir.path().string();
    auto no_current = Searcher::Open(options);
    REQUIRE_FALSE(no_current.ok());
    CHECK(no_current.status().code() == Status::Code::kUnavailable);
    CHECK(no_current.status().message().find("CURRENT") != std::string::npos);
    testing::WriteGeneration(dir.path().string(), 3, {SearchIndex::Get().records[0]}, *vocab, "1");
    auto other_format = Searcher::Open(options);
    REQUIRE_FALSE(other_format.ok());
    CHECK(other_format.status().code() == Status::Code::kUnavailable);
    CHECK(other_format.status().message().find("format") != std::string::npos);
}

TEST_CASE("Refresh follows CURRENT to a new generation and sees in-place updates") {
    auto vocab = SearchIndex::Get().vocab;
    const auto& records = SearchIndex::Get().records;
    testing::TempDir dir;
    testing::WriteGeneration(dir.path().string(), 1, {records[0], records[1]}, *vocab);
    const std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
    Searcher& s = *searcher;
    CHECK(s.Info().doc_count == 2);
    CHECK(s.Refresh().ok());  // nothing changed
    CHECK(s.Info().generation == 1);

    testing::WriteGeneration(dir.path().string(), 2, {records[0], records[1], records[2]}, *vocab);
    REQUIRE(s.Refresh().ok());
    CHECK(s.Info().generation == 2);
    CHECK(s.Info().doc_count == 3);
    CHECK(s.Get(records[2].id).ok());
    std::filesystem::remove_all(dir / "gen-000001");

    {
        Xapian::WritableDatabase db(dir / "gen-000002", Xapian::DB_OPEN);
        auto builder = DocumentBuilder::Create(*vocab).value();
        BuiltDocument built = builder->Build(records[3]);
        db.replace_document(built.id_term, built.document);
        db.commit();
    }
    REQUIRE(s.Refresh().ok());
    CHECK(s.Info().doc_count == 4);
    SearchRequest all;
    auto result = s.Search(all);
    REQUIRE(result.ok());
    CHECK(result->total == 4);
    CHECK(result->generation == 2);

    // A CURRENT naming a generation that does not exist: keep serving the old one.
    testing::WriteFile(dir / "CURRENT", "auto gen-000009\n");
    CHECK_FALSE(s.Refresh().ok());
    CHECK(s.Search(all).ok());
    CHECK(s.Info().generation == 2);
}

TEST_CASE("facet values stay readable after their searcher moved on and was closed") {
    // Codes and labels are views (core/search.h): the result keeps what they point into.
    auto vocab = SearchIndex::Get().vocab;
    const auto& records = SearchIndex::Get().records;
    testing::TempDir dir;
    testing::WriteGeneration(dir.path().string(), 1, {records[0], records[1]}, *vocab);
    SearchRequest request;
    request.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    request.filters[SearchFacet::kOrganisation] = {"no-such-organisation"};
    std::optional<SearchResult> result;
    {
        const std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
        auto searched = searcher->Search(request);
        REQUIRE(searched.ok());
        result = std::move(searched).value();
        testing::WriteGeneration(dir.path().string(), 2, {records[2]}, *vocab);
        REQUIRE(searcher->Refresh().ok());  // drops the first revision's organisation names
    }
    std::set<std::string> names;  // of the organisations of the first two records
    for (const Record* r : {&records[0], &records[1]}) {
        for (const auto& o : r->organisations) names.insert(o.name);
    }
    const auto& organisations = result->facets.at(SearchFacet::kOrganisation);
    REQUIRE(organisations.size() >= 2);
    bool unknown_listed = false;
    for (const FacetValue& v : organisations) {
        if (v.code == "no-such-organisation") {
            unknown_listed = true;
            CHECK(v.label == "no-such-organisation");
            CHECK(v.selected);
            CHECK(v.count == 0);
        } else {
            CHECK_MESSAGE(names.count(std::string(v.label)), v.label);
            CHECK(v.count > 0);
        }
    }
    CHECK(unknown_listed);
    for (const auto& [facet, values] : result->facets) {
        for (const FacetValue& v : values) CHECK_FALSE(v.label.empty());
    }
}

TEST_CASE("SearcherPool: borrow, wait with a timeout, return") {
    SearcherOptions options;
    options.vocab = SearchIndex::Get().vocab;
    options.index_dir = SearchIndex::Get().dir.path().string();
    auto pool = SearcherPool::Open(options, 2);
    REQUIRE_MESSAGE(pool.ok(), pool.status().message());
    CHECK((*pool)->size() == 2);
    {
        auto a = (*pool)->Borrow(std::chrono::milliseconds(10));
        auto b = (*pool)->Borrow(std::chrono::milliseconds(10));
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        auto c = (*pool)->Borrow(std::chrono::milliseconds(10));
        REQUIRE_FALSE(c.ok());
        CHECK(c.status().code() == Status::Code::kUnavailable);
        CHECK((*a)->Search(SearchRequest{}).ok());
        std::thread returner([lease = std::move(a).value()]() mutable {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        });
        auto d = (*pool)->Borrow(std::chrono::seconds(5));
        CHECK(d.ok());
        returner.join();
    }
    auto again = (*pool)->Borrow(std::chrono::milliseconds(10));
    CHECK(again.ok());
    CHECK(SearcherPool::Open(options, 0).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("SearcherPool under concurrent requests, while the index is updated in place") {
    auto vocab = SearchIndex::Get().vocab;
    const auto& records = SearchIndex::Get().records;
    testing::TempDir dir;
    testing::WriteGeneration(dir.path().string(), 1, records, *vocab);
    SearcherOptions options;
    options.vocab = vocab;
    options.index_dir = dir.path().string();
    auto pool = SearcherPool::Open(options, 2);
    REQUIRE_MESSAGE(pool.ok(), pool.status().message());
    std::atomic<int> failures{0}, done{0};
    std::mutex errors_mutex;
    std::vector<std::string> errors;
    auto fail = [&](const std::string& why) {
        ++failures;
        std::lock_guard lock(errors_mutex);
        errors.push_back(why);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                auto lease = (*pool)->Borrow(std::chrono::seconds(10));
                if (!lease.ok()) {
                    fail("borrow: " + lease.status().message());
                    continue;
                }
                SearchRequest r;
                r.q = t % 2 ? "ohjaus" : "nuoret";
                r.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
                auto result = (*lease)->Search(r);
                if (!result.ok()) {
                    fail("search: " + result.status().message());
                } else if (result->total == 0) {
                    fail("search: nothing found");
                }
                if (i % 10 == 0) {
                    Status refreshed = (*lease)->Refresh();
                    if (!refreshed.ok()) fail("refresh: " + refreshed.message());
                }
                ++done;
            }
        });
    }
    // Commits in place while the readers read (a reader may meet DatabaseModifiedError
    // and must retry by itself).
    {
        auto builder = DocumentBuilder::Create(*vocab).value();
        for (int i = 0; i < 10; ++i) {
            Xapian::WritableDatabase db(dir / "gen-000001", Xapian::DB_OPEN);
            Record r = records[static_cast<size_t>(i)];
            r.id += "-copy";
            BuiltDocument built = builder->Build(r);
            db.replace_document(built.id_term, built.document);
            db.commit();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    for (auto& t : threads) t.join();
    for (const auto& e : errors) FAIL_CHECK(e);
    CHECK(failures == 0);
    CHECK(done == 160);
    auto lease = (*pool)->Borrow(std::chrono::seconds(1));
    REQUIRE(lease.ok());
    REQUIRE((*lease)->Refresh().ok());
    CHECK((*lease)->Info().doc_count == records.size() + 10);
}

// Not run by default: `tnohaku_tests -tc='*latency*' --no-skip`.
TEST_CASE("latency of in-process searches on the test index" * doctest::skip()) {
    Searcher& s = *SearchIndex::Get().searcher;
    struct Case {
        const char* name;
        SearchRequest request;
    };
    SearchRequest facets_all;
    facets_all.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    std::vector<Case> cases;
    cases.push_back({"browse, all facets", facets_all});
    SearchRequest text = facets_all;
    text.q = "nuorten ohjaus";
    cases.push_back({"two words, all facets", text});
    SearchRequest filtered = text;
    filtered.municipalities = {"564"};
    filtered.filters[SearchFacet::kTargetGroup] = {"youth"};
    filtered.filters[SearchFacet::kTheme] = {"career-guidance"};
    cases.push_back({"two words, 3 facet filters, all facets", filtered});
    SearchRequest geo = facets_all;
    geo.near = testing::kOulu;
    geo.sort = SortOrder::kDistance;
    cases.push_back({"near + distance sort, all facets", geo});
    SearchRequest typo;
    typo.q = "ohjaamp";
    cases.push_back({"typo (did_you_mean)", typo});
    for (const auto& c : cases) {
        REQUIRE(s.Search(c.request).ok());
        const int n = 300;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) (void)s.Search(c.request);
        auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                      .count() /
                  n;
        MESSAGE(std::string(c.name) << ": " << us << " µs");
    }
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 300; ++i) (void)s.Suggest("ohja", Lang::kFi, 10);
    MESSAGE("suggest: " << std::chrono::duration<double, std::micro>(
                               std::chrono::steady_clock::now() - t0)
                                   .count() /
                               300
                        << " µs");
}

}  // namespace
}  // namespace tnohaku
