// Remote shards (xapian-tcpsrv on 127.0.0.1) plus a local one answer exactly what one
// combined index answers: the judged queries' ids in order, totals, every facet's counts,
// did_you_mean and suggestions; a shard that goes away is kUnavailable naming it, and the
// searcher works again when the shard is back.
#include <doctest/doctest.h>

#include <sstream>

#include "cluster/cluster_fixture.h"
#include "cluster/cluster_support.h"
#include "core/shard_set.h"
#include "judged_queries.h"
#include "server/server_process.h"

namespace tnohaku {
namespace {

using testing::ClusterIndexes;
using testing::ClusterSearcherOptions;
using testing::PortServer;

// A comparable picture of a result: ids in order, total, facets, did_you_mean.
std::string Describe(const FacetValue& v) {
    std::ostringstream out;
    out << v.code << "=" << v.count << (v.selected ? "*" : "");
    if (!v.children.empty()) {
        out << "(";
        for (const FacetValue& c : v.children) out << Describe(c) << " ";
        out << ")";
    }
    return out.str();
}

std::string Describe(const SearchResult& r) {
    std::ostringstream out;
    out << "total " << r.total << "\nhits";
    for (const Hit& h : r.hits) out << " " << h.id;
    out << "\ndid_you_mean " << r.did_you_mean.value_or("-") << "\n";
    for (const auto& [facet, values] : r.facets) {
        out << "facet " << static_cast<int>(facet) << ":";
        for (const FacetValue& v : values) out << " " << Describe(v);
        out << "\n";
    }
    return out.str();
}

std::string Describe(const std::vector<Suggestion>& suggestions) {
    std::string out;
    for (const Suggestion& s : suggestions) out += s.kind + ":" + s.text + ":" + s.id + "\n";
    return out;
}

// Two of the three shards behind xapian-tcpsrv.
struct RemoteShards {
    ShardSet set;
    PortServer servers[2];
    int ports[2] = {0, 0};
    testing::TempDir logs;

    RemoteShards() : set{ClusterIndexes::Get().shard_set, 3} {
        for (int k = 0; k < 2; ++k) Start(k);
    }
    void Start(int k) {
        if (!ports[k]) ports[k] = testing::FreePort();
        REQUIRE(testing::StartTcpServer(servers[k],
                                        set.ShardDir(static_cast<uint32_t>(k)) + "/CURRENT",
                                        ports[k], logs / ("tcpsrv-" + std::to_string(k) + ".log")));
    }
    std::string Address(int k) const { return "tcp://127.0.0.1:" + std::to_string(ports[k]); }
    std::string List() const { return Address(0) + "," + Address(1) + "," + set.ShardDir(2); }
};

std::vector<SearchRequest> Requests() {
    std::vector<SearchRequest> out;
    for (const auto& q : testing::LoadJudgedQueries()) {
        SearchRequest r = q.request;
        r.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
        out.push_back(r);
        r.offset = 10;  // the second page too
        out.push_back(r);
    }
    return out;
}

TEST_CASE("two remote shards and a local one answer as one combined index") {
    ClusterIndexes& indexes = ClusterIndexes::Get();
    RemoteShards remote;
    auto single = Searcher::Open(ClusterSearcherOptions(indexes.single));
    REQUIRE_MESSAGE(single.ok(), single.status().message());
    auto sharded = Searcher::Open(ClusterSearcherOptions(remote.List(), remote.set.SideDir()));
    REQUIRE_MESSAGE(sharded.ok(), sharded.status().message());
    CHECK((*sharded)->Info().doc_count == (*single)->Info().doc_count);

    size_t corrected = 0, found = 0;
    for (const SearchRequest& request : Requests()) {
        auto a = (*single)->Search(request);
        auto b = (*sharded)->Search(request);
        REQUIRE_MESSAGE(a.ok(), a.status().message());
        REQUIRE_MESSAGE(b.ok(), request.q << ": " << b.status().message());
        CHECK_MESSAGE(Describe(*a) == Describe(*b),
                      "q=" << request.q << " offset " << request.offset);
        corrected += a->did_you_mean.has_value();
        found += a->total > 0;
        auto sa = (*single)->Suggest(request.q.substr(0, 5), request.lang, 10);
        auto sb = (*sharded)->Suggest(request.q.substr(0, 5), request.lang, 10);
        REQUIRE(sa.ok());
        REQUIRE_MESSAGE(sb.ok(), request.q.substr(0, 5) << ": " << sb.status().message());
        CHECK_MESSAGE(Describe(*sa) == Describe(*sb), "suggest " << request.q.substr(0, 5));
    }
    // Browsing and every sort but distance, with facets and a filter.
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kName, SortOrder::kStartDate,
                           SortOrder::kEndDate, SortOrder::kUpdated}) {
        for (const char* q : {"", "ohjaus", "nuorten palvel"}) {
            SearchRequest request;
            request.q = q;
            request.sort = sort;
            request.limit = 20;
            request.offset = 15;
            request.regions = {"17"};
            request.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
            auto a = (*single)->Search(request);
            auto b = (*sharded)->Search(request);
            REQUIRE(a.ok());
            REQUIRE_MESSAGE(b.ok(), b.status().message());
            CHECK_MESSAGE(Describe(*a) == Describe(*b),
                          "sort " << static_cast<int>(sort) << " q=" << q);
        }
    }
    SearchRequest near;
    near.near = GeoPoint{65.0, 25.5};
    auto refused = (*sharded)->Search(near);
    CHECK(refused.status().code() == Status::Code::kInvalidArgument);
    CHECK(refused.status().message().find("remote shards") != std::string::npos);

    // The comparison covered corrected queries and results, not only empty answers.
    CHECK(corrected > 0);
    CHECK(found > 100);

    auto record = (*sharded)->Get("ohjaamo");
    REQUIRE_MESSAGE(record.ok(), record.status().message());
    CHECK(record->id == "ohjaamo");
    CHECK((*sharded)->Get("no-such-record").status().code() == Status::Code::kNotFound);
}

TEST_CASE("a shard set folder (local shards, piped) answers as one index, synonyms or not") {
    ClusterIndexes& indexes = ClusterIndexes::Get();
    for (bool synonyms : {true, false}) {
        SearcherOptions one = ClusterSearcherOptions(indexes.single);
        SearcherOptions set = ClusterSearcherOptions(indexes.shard_set);
        if (!synonyms) one.synonyms_path = set.synonyms_path = "";
        auto a = Searcher::Open(one);
        auto b = Searcher::Open(set);
        REQUIRE(a.ok());
        REQUIRE_MESSAGE(b.ok(), b.status().message());
        for (const SearchRequest& request : Requests()) {
            auto x = (*a)->Search(request);
            auto y = (*b)->Search(request);
            REQUIRE(x.ok());
            REQUIRE_MESSAGE(y.ok(), request.q << ": " << y.status().message());
            CHECK_MESSAGE(Describe(*x) == Describe(*y),
                          "synonyms " << synonyms << " q=" << request.q);
        }
        SearchRequest typo;
        typo.q = "ohjamo";  // did_you_mean comes from the side index
        auto corrected = (*b)->Search(typo);
        REQUIRE(corrected.ok());
        CHECK(corrected->did_you_mean.has_value());
    }
}

TEST_CASE("a list of several parts without a side index is refused, naming --side") {
    ClusterIndexes& indexes = ClusterIndexes::Get();
    ShardSet set{indexes.shard_set, 3};
    auto opened = Searcher::Open(ClusterSearcherOptions(set.ShardDir(0) + "," + set.ShardDir(1)));
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().code() == Status::Code::kInvalidArgument);
    CHECK(opened.status().message().find("--side") != std::string::npos);
    auto bad = Searcher::Open(ClusterSearcherOptions("tcp://127.0.0.1:notaport", set.SideDir()));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message().find("tcp://HOST:PORT") != std::string::npos);
}

TEST_CASE("a shard going away is kUnavailable naming it, and it is used again when back") {
    RemoteShards remote;
    auto sharded = Searcher::Open(ClusterSearcherOptions(remote.List(), remote.set.SideDir()));
    REQUIRE_MESSAGE(sharded.ok(), sharded.status().message());
    SearchRequest request;
    request.q = "ohjaamo";
    auto before = (*sharded)->Search(request);
    REQUIRE(before.ok());

    remote.servers[1].Stop();
    auto down = (*sharded)->Search(request);
    REQUIRE_FALSE(down.ok());
    CHECK(down.status().code() == Status::Code::kUnavailable);
    CHECK_MESSAGE(down.status().message().find(remote.Address(1)) != std::string::npos,
                  down.status().message());
    CHECK((*sharded)->Get("ohjaamo").status().code() == Status::Code::kUnavailable);

    remote.Start(1);
    auto back = (*sharded)->Search(request);
    REQUIRE_MESSAGE(back.ok(), back.status().message());
    CHECK(back->total == before->total);
}

// GET path on 127.0.0.1:port: the status line and the body.
std::string Get(int port, const std::string& path) {
    return testing::RawHttp(
        port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

TEST_CASE("tnohaku-server over remote shards answers 503 naming a shard that went away") {
    RemoteShards remote;
    testing::ServerProcess server(remote.List(), remote.logs / "server.log",
                                  {"--side", remote.set.SideDir()});
    REQUIRE_MESSAGE(server.started(), server.Log());
    const std::string search = "/v1/search?q=ohjaamo";
    CHECK(Get(server.port(), search).rfind("HTTP/1.1 200", 0) == 0);

    remote.servers[0].Stop();
    const std::string down = Get(server.port(), search);
    CHECK_MESSAGE(down.rfind("HTTP/1.1 503", 0) == 0, down);
    CHECK_MESSAGE(down.find(remote.Address(0)) != std::string::npos, down);

    remote.Start(0);
    CHECK(Get(server.port(), search).rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("ShardOf is FNV-1a 64 of the id modulo N, as schema/index-format.md says") {
    // Published FNV-1a 64 test vectors: a changed hash would move every record.
    CHECK(Fnv1a64("") == 0xcbf29ce484222325ull);
    CHECK(Fnv1a64("a") == 0xaf63dc4c8601ec8cull);
    CHECK(Fnv1a64("foobar") == 0x85944171f73967e8ull);
    CHECK(ShardOf("a", 7) == 0xaf63dc4c8601ec8cull % 7);
}

}  // namespace
}  // namespace tnohaku
