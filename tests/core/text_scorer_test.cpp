// TextScorer (core/text_scorer.h) against Xapian: its sums must be Xapian's BM25 weights
// for the queries QueryBuilder builds (the judged set and as-you-type prefixes over the
// shipped corpus), its candidates must hold the best documents, ties included, and it
// must refuse what it does not evaluate. That relevance pages are the same with and
// without it is checked over random requests in column_search_test.cpp.
#include "core/text_scorer.h"

#include <cmath>
#include <map>

#include <doctest/doctest.h>

#include "core/query_builder.h"
#include "judged_queries.h"
#include "search_fixture.h"

namespace tnohaku {
namespace {

using testing::TempDir;

// Xapian's weight of every document `query` matches.
std::map<uint32_t, double> XapianWeights(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::map<uint32_t, double> out;
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount(), db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) out[*it] = it.get_weight();
    return out;
}

PackedUints Lengths(const Xapian::Database& db) {
    std::vector<uint32_t> lengths(db.get_lastdocid() + 1, 0);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        lengths[*it] = it.get_doclength();
    return PackedUints(std::move(lengths), db.get_doclength_upper_bound() + 1);
}

DocSet Everything(const Xapian::Database& db) {
    DocSet all(db.get_lastdocid() + 1);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) all.Add(*it);
    return all;
}

std::map<uint32_t, double> ScorerWeights(const TextScorer& scorer, const DocSet& within,
                                         const PackedUints& lengths) {
    std::map<uint32_t, double> out;
    scorer.ForEachWeight({&within, &lengths}, [&](uint32_t d, double w) { out[d] = w; });
    return out;
}

void CheckSameWeights(const std::map<uint32_t, double>& ours,
                      const std::map<uint32_t, double>& xapian) {
    REQUIRE(ours.size() == xapian.size());
    for (const auto& [docid, weight] : xapian) {
        CAPTURE(docid);
        REQUIRE(ours.count(docid));
        CHECK(std::abs(ours.at(docid) - weight) <= 1e-12 * weight);
    }
}

struct Corpus {
    TempDir dir;
    std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    std::unique_ptr<Analyzer> analyzer = Analyzer::Create().value();
    Xapian::Database db;
    std::unique_ptr<QueryBuilder> builder;  // over db, as a Searcher sets it
    PackedUints lengths;
    DocSet all;

    Corpus() {
        std::vector<Record> records = testing::LoadCorpus(*vocab);
        for (Record& r : testing::SearchTestRecords()) records.push_back(std::move(r));
        testing::WriteGeneration(dir.path().string(), 1, records, *vocab);
        db = Xapian::Database(dir / "gen-000001");
        builder = std::make_unique<QueryBuilder>(*analyzer, *vocab);
        builder->SetTermDatabase(&db);
        lengths = Lengths(db);
        all = Everything(db);
    }
    TextQuery Text(const std::string& q, Lang lang) { return builder->Text(q, lang, &db); }
};

std::vector<std::pair<std::string, Lang>> TextsToScore() {
    std::vector<std::pair<std::string, Lang>> out;
    for (const testing::JudgedQuery& q : testing::LoadJudgedQueries())
        out.emplace_back(q.request.q, q.request.lang);
    for (const char* prefix : {"ty", "oh", "pa", "te", "ku", "työ", "neuvo", "ohjaus ", "nuor"})
        out.emplace_back(prefix, Lang::kFi);
    out.emplace_back("väg", Lang::kSv);
    out.emplace_back("guid", Lang::kEn);
    return out;
}

TEST_CASE("TextScorer: its sums are Xapian's BM25 weights for the queries we build") {
    Corpus corpus;
    size_t compared = 0;
    for (const auto& [q, lang] : TextsToScore()) {
        CAPTURE(q);
        const TextQuery text = corpus.Text(q, lang);
        // Both the words together and any of them, and scaled up as preferred records are.
        const Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT, text.all, 1.25);
        for (const Xapian::Query& query : {text.all, text.any, scaled}) {
            std::optional<TextScorer> scorer = TextScorer::Compile(corpus.db, query);
            REQUIRE_MESSAGE(scorer, query.get_description());
            const std::map<uint32_t, double> xapian = XapianWeights(corpus.db, query);
            CheckSameWeights(ScorerWeights(*scorer, corpus.all, corpus.lengths), xapian);
            compared += xapian.size();
        }
    }
    CHECK(compared > 5000);  // the queries match something
}

TEST_CASE("TextScorer: candidates hold the best members of the set, and only members") {
    Corpus corpus;
    // Two documents of every three, so that the set is not simply the text's matches.
    DocSet within(corpus.all.size());
    corpus.all.ForEach([&](uint32_t d) {
        if (d % 3 != 0) within.Add(d);
    });
    for (const std::string q : {"ty", "ohjaus", "neuvonta", "pa"}) {
        CAPTURE(q);
        const TextQuery text = corpus.Text(q, Lang::kFi);
        std::optional<TextScorer> scorer = TextScorer::Compile(corpus.db, text.all);
        REQUIRE(scorer);
        for (size_t want : {1, 10, 30}) {
            CAPTURE(want);
            const DocSet candidates = scorer->Candidates({&within, &corpus.lengths}, want);
            DocSet outside = candidates;
            outside.Subtract(within);
            CHECK(outside.Empty());
            // Xapian's best `want` members (ties by docid here) are all candidates.
            std::vector<std::pair<double, uint32_t>> ranked;
            for (const auto& [d, w] : XapianWeights(corpus.db, text.all)) {
                if (within.Contains(d)) ranked.emplace_back(-w, d);
            }
            std::sort(ranked.begin(), ranked.end());
            REQUIRE(ranked.size() > want);
            CHECK(candidates.Count() >= want);
            CHECK(candidates.Count() < ranked.size());  // it does narrow
            const double last = ranked[want - 1].first;
            for (const auto& [negative, d] : ranked) {
                if (negative > last) break;  // every document tied with the want-th too
                CAPTURE(d);
                CHECK(candidates.Contains(d));
            }
        }
    }
}

TEST_CASE("TextScorer: the candidates of several groups in one walk are each group's own") {
    Corpus corpus;
    // Groups as a request ranks them apart (preferred and other matches), with documents
    // of neither left out.
    DocSet thirds(corpus.all.size()), others(corpus.all.size());
    corpus.all.ForEach([&](uint32_t d) {
        if (d % 3 == 0) thirds.Add(d);
        if (d % 3 == 1) others.Add(d);
    });
    for (const std::string q : {"ty", "ohjaus", "neuvonta nuorille"}) {
        CAPTURE(q);
        std::optional<TextScorer> scorer =
            TextScorer::Compile(corpus.db, corpus.Text(q, Lang::kFi).all);
        REQUIRE(scorer);
        for (size_t want : {1, 10}) {
            CAPTURE(want);
            const std::vector<DocSet> both = scorer->Candidates({&corpus.all, &corpus.lengths},
                                                                {{&thirds, want}, {&others, want}});
            REQUIRE(both.size() == 2);
            CHECK(!both[0].Empty());
            CHECK(both[0] == scorer->Candidates({&thirds, &corpus.lengths}, want));
            CHECK(both[1] == scorer->Candidates({&others, &corpus.lengths}, want));
        }
    }
}

TEST_CASE("TextScorer: the walk's match set is what Xapian matches among the members") {
    Corpus corpus;
    DocSet thirds(corpus.all.size());
    corpus.all.ForEach([&](uint32_t d) {
        if (d % 3 == 0) thirds.Add(d);
    });
    uint64_t matched = 0;
    for (const auto& [q, lang] : TextsToScore()) {
        CAPTURE(q);
        const Xapian::Query query = corpus.Text(q, lang).all;
        std::optional<TextScorer> scorer = TextScorer::Compile(corpus.db, query);
        REQUIRE(scorer);
        for (const DocSet* within : {&corpus.all, &thirds}) {
            DocSet expected(corpus.all.size());
            for (const auto& [docid, weight] : XapianWeights(corpus.db, query)) {
                if (within->Contains(docid)) expected.Add(docid);
            }
            for (size_t want : {0, 10}) {  // with no candidates wanted, it still walks
                CAPTURE(want);
                DocSet matches(corpus.all.size());
                const std::vector<DocSet> candidates =
                    scorer->Candidates({within, &corpus.lengths}, {{within, want}}, &matches);
                CHECK(matches == expected);
                matched += matches.Count();
                CHECK(candidates.front() == scorer->Candidates({within, &corpus.lengths}, want));
            }
        }
    }
    CHECK(matched > 2000);  // the queries match something
}

TEST_CASE("TextScorer: documents of equal weight are all candidates") {
    TempDir dir;
    {
        Xapian::WritableDatabase db(dir / "db", Xapian::DB_CREATE);
        for (int i = 0; i < 50; ++i) {
            Xapian::Document doc;
            doc.add_term("same", 2);
            doc.add_term(i < 10 ? "short" : "long" + std::to_string(i), i < 10 ? 1 : 5);
            db.add_document(doc);
        }
        db.commit();
    }
    Xapian::Database db(dir / "db");
    std::optional<TextScorer> scorer = TextScorer::Compile(db, Xapian::Query("same"));
    REQUIRE(scorer);
    const PackedUints lengths = Lengths(db);
    const DocSet all = Everything(db);
    // The ten shorter documents weigh the same, more than the forty others.
    CHECK(scorer->Candidates({&all, &lengths}, 3).Count() == 10);
    CHECK(scorer->Candidates({&all, &lengths}, 10).Count() == 10);
    CHECK(scorer->Candidates({&all, &lengths}, 11).Count() == 50);
    CHECK(scorer->Candidates({&all, &lengths}, 0).Empty());
    CHECK(scorer->postings() == 50);
    CHECK(scorer->terms() == 1);
}

TEST_CASE("TextScorer: what it does not evaluate, it refuses") {
    TempDir dir;
    {
        Xapian::WritableDatabase db(dir / "db", Xapian::DB_CREATE);
        Xapian::Document doc;
        doc.add_posting("a", 1);
        doc.add_posting("b", 2);
        db.add_document(doc);
        db.commit();
    }
    Xapian::Database db(dir / "db");
    const Xapian::Query a("a"), b("b");
    CHECK_FALSE(TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_PHRASE, a, b)));
    CHECK_FALSE(TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, a, b)));
    CHECK_FALSE(TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_WILDCARD, "a")));
    CHECK_FALSE(TextScorer::Compile(db, Xapian::Query(std::string())));  // MatchAll
    CHECK_FALSE(TextScorer::Compile(db, Xapian::Query("a", 2)));         // wqf 2
    CHECK_FALSE(TextScorer::Compile(  // a synonym of more than terms
        db,
        Xapian::Query(Xapian::Query::OP_SYNONYM, a, Xapian::Query(Xapian::Query::OP_AND, a, b))));
    CHECK(TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_MAX, a, b)));
    // Terms the database does not have match nothing, as in Xapian.
    std::optional<TextScorer> absent =
        TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("zz"), a));
    REQUIRE(absent);
    const DocSet all = Everything(db);
    const PackedUints lengths = Lengths(db);
    CheckSameWeights(ScorerWeights(*absent, all, lengths), XapianWeights(db, Xapian::Query("a")));
    std::optional<TextScorer> none =
        TextScorer::Compile(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("zz"), a));
    REQUIRE(none);
    CHECK(ScorerWeights(*none, all, lengths).empty());
}

TEST_CASE("TextScorer: operators weigh as in Xapian 1.4, OP_MAX over an OP_OR's parts") {
    TempDir dir;
    {
        Xapian::WritableDatabase db(dir / "db", Xapian::DB_CREATE);
        const std::vector<std::vector<std::pair<std::string, int>>> docs = {
            {{"a", 1}, {"b", 1}, {"c", 2}}, {{"a", 3}, {"b", 1}},
            {{"b", 1}, {"c", 1}, {"d", 4}}, {{"a", 1}},
            {{"d", 1}, {"e", 2}},           {{"a", 2}, {"c", 1}, {"e", 1}}};
        for (const auto& terms : docs) {
            Xapian::Document doc;
            for (const auto& [term, wdf] : terms) doc.add_term(term, wdf);
            db.add_document(doc);
        }
        db.commit();
    }
    Xapian::Database db(dir / "db");
    using Q = Xapian::Query;
    const Q a("a"), b("b"), c("c"), d("d"), e("e");
    const Q ab(Q::OP_OR, a, b);
    const std::vector<Q> bce = {b, c, e};
    const std::vector<Q> queries = {
        Q(Q::OP_MAX, ab, c),
        Q(Q::OP_MAX, Q(Q::OP_SCALE_WEIGHT, ab, 2.5), Q(Q::OP_SCALE_WEIGHT, c, 0.3)),
        Q(Q::OP_MAX, Q(Q::OP_AND, a, b), c),
        Q(Q::OP_OR, Q(Q::OP_MAX, a, d), Q(Q::OP_SYNONYM, c, e)),
        Q(Q::OP_AND, Q(Q::OP_OR, a, d),
          Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_SYNONYM, bce.begin(), bce.end()), 0.7)),
        Q(Q::OP_MAX, Q(Q::OP_OR, Q(Q::OP_OR, a, e), Q(Q::OP_SCALE_WEIGHT, b, 3.0)), d),
        Q(Q::OP_OR, Q(Q::OP_AND, a, c), Q(Q::OP_AND, d, e)),
    };
    const DocSet all = Everything(db);
    const PackedUints lengths = Lengths(db);
    for (const Q& query : queries) {
        CAPTURE(query.get_description());
        std::optional<TextScorer> scorer = TextScorer::Compile(db, query);
        REQUIRE(scorer);
        CheckSameWeights(ScorerWeights(*scorer, all, lengths), XapianWeights(db, query));
    }
}

}  // namespace
}  // namespace tnohaku
