// Search quality floors: the judged queries of bench/quality/queries.jsonl, run in-process
// against an index of the shipped corpus built in a temporary folder, must score at least
// what they scored when the floors were last raised (bench/quality/RESULTS.md has the
// figures; floors are those rounded down a little). A change that makes relevance worse
// fails here instead of silently. The metric definitions are bench/quality/metrics.py's.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "core/json_util.h"
#include "core/validate.h"
#include "judged_queries.h"
#include "search_fixture.h"
#include "test_support.h"

namespace tnohaku {
namespace {

using testing::JudgedQuery;
using testing::LoadCorpus;
using testing::LoadJudgedQueries;

struct QueryScores {
    double s1 = 0, s5 = 0, mrr = 0, ndcg = 0, zero = 0;
};

QueryScores Score(const JudgedQuery& q, const SearchResult& result) {
    int top = 0;
    for (const auto& [id, grade] : q.grades) top = std::max(top, grade);
    QueryScores s;
    double dcg = 0;
    size_t first = 0;
    for (size_t i = 0; i < result.hits.size() && i < 10; ++i) {
        auto it = q.grades.find(result.hits[i].id);
        int grade = it == q.grades.end() ? 0 : it->second;
        dcg += (std::pow(2.0, grade) - 1) / std::log2(i + 2.0);
        if (grade == top && first == 0) first = i + 1;
    }
    std::vector<int> ideal;
    for (const auto& [id, grade] : q.grades) ideal.push_back(grade);
    std::sort(ideal.rbegin(), ideal.rend());
    double idcg = 0;
    for (size_t i = 0; i < ideal.size() && i < 10; ++i)
        idcg += (std::pow(2.0, ideal[i]) - 1) / std::log2(i + 2.0);
    s.s1 = first == 1;
    s.s5 = first >= 1 && first <= 5;
    s.mrr = first ? 1.0 / first : 0;
    s.ndcg = idcg > 0 ? dcg / idcg : 0;
    s.zero = result.total == 0;
    return s;
}

struct Means {
    QueryScores sum;
    size_t n = 0;
    void Add(const QueryScores& s) {
        sum.s1 += s.s1;
        sum.s5 += s.s5;
        sum.mrr += s.mrr;
        sum.ndcg += s.ndcg;
        sum.zero += s.zero;
        ++n;
    }
    double Of(double QueryScores::*metric) const { return n ? sum.*metric / n : 0; }
};

// Floors of the overall figures: the run of the commit that set them, rounded down a
// little (raise them when relevance improves; bench/quality/RESULTS.md has the figures).
struct Floors {
    double s1, s5, mrr, ndcg, zero_max;
};
constexpr Floors kOverallFloors{0.80, 0.98, 0.88, 0.89, 0.0};
// MRR@10 per category: a category can get worse while the overall figures hold.
const std::map<std::string, double> kCategoryMrrFloors = {
    {"abbreviation", 0.88}, {"area", 0.85},    {"compound", 0.78},   {"english", 0.92},
    {"exact", 0.90},        {"hyphen", 0.85},  {"inflection", 0.92}, {"paraphrase", 0.90},
    {"prefix", 0.78},       {"swedish", 0.97}, {"typo", 0.87},       {"umlaut", 0.73},
};

TEST_CASE("judged queries over the shipped corpus score at least their floors") {
    auto vocab = Vocabulary::LoadEmbedded().value();
    const std::vector<JudgedQuery> queries = LoadJudgedQueries();
    REQUIRE(queries.size() >= 80);
    testing::TempDir dir;
    testing::WriteGeneration(dir.path().string(), 1, LoadCorpus(*vocab), *vocab);
    SearcherOptions options;
    options.index_dir = dir.path().string();
    options.vocab = vocab;
    options.synonyms_path = testing::SourcePath("schema/synonyms/synonyms.txt");
    auto searcher = Searcher::Open(options);
    REQUIRE_MESSAGE(searcher.ok(), searcher.status().message());

    Means overall;
    std::map<std::string, Means> by_category;
    for (const JudgedQuery& q : queries) {
        auto result = (*searcher)->Search(q.request);
        REQUIRE_MESSAGE(result.ok(), q.id << ": " << result.status().message());
        QueryScores s = Score(q, *result);
        overall.Add(s);
        by_category[q.category].Add(s);
    }
    for (const auto& [category, m] : by_category) {
        INFO(category << ": n=" << m.n << " s@1=" << m.Of(&QueryScores::s1)
                      << " s@5=" << m.Of(&QueryScores::s5) << " MRR=" << m.Of(&QueryScores::mrr));
        auto floor = kCategoryMrrFloors.find(category);
        REQUIRE_MESSAGE(floor != kCategoryMrrFloors.end(), "no MRR floor for " << category);
        CHECK(m.Of(&QueryScores::mrr) >= floor->second);
    }
    CHECK(by_category.size() == kCategoryMrrFloors.size());
    CHECK(overall.Of(&QueryScores::s1) >= kOverallFloors.s1);
    CHECK(overall.Of(&QueryScores::s5) >= kOverallFloors.s5);
    CHECK(overall.Of(&QueryScores::mrr) >= kOverallFloors.mrr);
    CHECK(overall.Of(&QueryScores::ndcg) >= kOverallFloors.ndcg);
    CHECK(overall.Of(&QueryScores::zero) <= kOverallFloors.zero_max);
}

}  // namespace
}  // namespace tnohaku
