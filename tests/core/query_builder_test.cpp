// QueryBuilder and Filters from several threads: the searchers of a pool build their
// queries at the same time, so what they build must share nothing reference counted
// without atomics, such as the static Xapian::Query::MatchAll (xapian/query.h).
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "core/query_builder.h"

namespace tnohaku {
namespace {

// Whether `q` or one of its subqueries holds the internals of Xapian::Query::MatchAll.
bool SharesMatchAll(const Xapian::Query& q) {
    if (q.internal.get() == Xapian::Query::MatchAll.internal.get()) return true;
    for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        if (SharesMatchAll(q.get_subquery(i))) return true;
    }
    return false;
}

constexpr int32_t kToday = 20000;

// What a browse request (no words) builds, with and without an area filter (which
// prefers local records, a query of its own around the text).
std::vector<Xapian::Query> BrowseQueries(QueryBuilder& builder) {
    TextQuery text = builder.Text("", Lang::kFi);
    SearchRequest plain;
    SearchRequest local;
    local.municipalities = {"091"};
    Filters none = builder.BuildFilters(plain, kToday);
    Filters area = builder.BuildFilters(local, kToday);
    return {text.all,
            text.any,
            none.Prefer(Xapian::Query()),
            none.Apply({}),
            area.Prefer({}),
            area.Apply(Xapian::Query()),
            area.Prefer(text.all)};
}

TEST_CASE("queries matching every document are built anew, never copied from MatchAll") {
    auto analyzer = Analyzer::Create().value();
    auto vocab = Vocabulary::LoadEmbedded().value();
    QueryBuilder builder(*analyzer, *vocab);
    const std::vector<Xapian::Query> queries = BrowseQueries(builder);
    CHECK(queries[0].get_type() == Xapian::Query::LEAF_MATCH_ALL);
    CHECK(queries[0].get_description() == Xapian::Query::MatchAll.get_description());
    for (size_t i = 0; i < queries.size(); ++i) {
        CAPTURE(i);
        CAPTURE(queries[i].get_description());
        CHECK_FALSE(SharesMatchAll(queries[i]));
    }
}

TEST_CASE("two builders on two threads build browse queries at once") {
    // As the server's two searchers do under load; copies of a shared MatchAll made its
    // reference count go wrong within a fraction of a second here (a crash, or a TSan
    // report in a -fsanitize=thread build).
    auto vocab = Vocabulary::LoadEmbedded().value();
    auto work = [&vocab] {
        auto analyzer = Analyzer::Create().value();
        QueryBuilder builder(*analyzer, *vocab);
        for (int i = 0; i < 20000; ++i) BrowseQueries(builder);
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
    CHECK(Xapian::Query::MatchAll.get_type() == Xapian::Query::LEAF_MATCH_ALL);
}

}  // namespace
}  // namespace tnohaku
