#include "core/organisation_names.h"

#include <doctest/doctest.h>

#include "core/index_format.h"

namespace tnohaku {
namespace {

// A database whose records name organisations: (id, name) per record.
Xapian::WritableDatabase Organisations(
    const std::vector<std::pair<std::string, std::string>>& organisations) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const auto& [id, name] : organisations) {
        Xapian::Document doc;
        doc.set_data(R"({"organisations":[{"id":")" + id + R"(","name":")" + name +
                     R"(","role":"provider"}]})");
        doc.add_boolean_term(index_format::kOrganisationPrefix +
                             index_format::OrganisationCode(id, name));
        db.add_document(doc);
    }
    return db;
}

TEST_CASE("OrganisationNames: names, (name, code) ranks, lookups in byte order") {
    // Codes in byte order: a-co, b-co, c-co, d-co; names in another order.
    const auto names = OrganisationNames::Read(Organisations(
        {{"c-co", "Aalto & co"}, {"a-co", "Oulun kaupunki"}, {"d-co", "Kela"}, {"b-co", "Kela"}}));
    REQUIRE(names.size() == 4);
    const auto oulu = names.Find("a-co");
    REQUIRE(oulu);
    CHECK(names.Code(*oulu) == "a-co");
    CHECK(names.Label(*oulu) == "Oulun kaupunki");
    CHECK(names.Plain(*oulu));
    const auto aalto = names.Find("c-co");
    REQUIRE(aalto);
    CHECK_FALSE(names.Plain(*aalto));  // '&' is escaped in HTML
    // (name, code) order: Aalto & co (c-co), Kela (b-co), Kela (d-co), Oulun kaupunki.
    CHECK(names.Rank(*aalto) == 0);
    CHECK(names.Rank(*names.Find("b-co")) == 1);
    CHECK(names.Rank(*names.Find("d-co")) == 2);
    CHECK(names.Rank(*oulu) == 3);
    CHECK(names.RankBefore("A", "x") == 0);
    CHECK(names.RankBefore("Kela", "c-co") == 2);  // between the two Kelas
    CHECK(names.RankBefore("Zzz", "x") == 4);
    CHECK_FALSE(names.Find("e-co"));
    CHECK_FALSE(names.Find(""));

    // Lookups in byte order from a cursor: found, missing, found, past the end.
    uint32_t cursor = 0;
    CHECK(names.Find("a-co", &cursor) == oulu);
    CHECK_FALSE(names.Find("b", &cursor));
    CHECK(names.Find("b-co", &cursor) == names.Find("b-co"));
    CHECK(names.Find("d-co", &cursor) == names.Find("d-co"));  // skips c-co
    CHECK_FALSE(names.Find("zzz", &cursor));
    CHECK(cursor == 4);
    CHECK_FALSE(names.Find("zzzz", &cursor));
}

}  // namespace
}  // namespace tnohaku
