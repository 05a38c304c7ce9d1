// PTV addresses → locations, on small synthetic addresses shaped like the v9/v11 data.
#include "importer/ptv_location.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

namespace tnohaku::importer {
namespace {

const Vocabulary& Vocab() {
    static const auto vocab = Vocabulary::LoadEmbedded();
    return **vocab;
}

struct Reader {
    MunicipalityNames names{Vocab()};
    Diagnostics diag;

    std::optional<Location> Read(const std::string& address_json) {
        rapidjson::Document doc;
        doc.Parse(address_json.data(), address_json.size());
        REQUIRE_FALSE(doc.HasParseError());
        return ReadLocation(doc, "Koulu", {Vocab(), names, diag, {"test.json", "c1"}});
    }
};

// A visiting address with the given municipality member, post office and coordinates.
std::string Address(const std::string& municipality, const std::string& office,
                    const std::string& north, const std::string& east) {
    return R"({"type":"Location","subType":"Single","streetAddress":{"street":[{"value":"Koulutie","language":"fi"}],)"
           R"("streetNumber":"9","postalCode":"21160","postOffice":[{"value":")" +
           office +
           R"(","language":"fi"}],)"
           R"("municipality":)" +
           municipality + R"(,"latitude":")" + north + R"(","longitude":")" + east +
           R"("},)"
           R"("otherAddress":{"latitude":"61.6887","longitude":"27.2721","postalCode":"12345"}})";
}

const std::string kNaantali = R"({"code":"529","name":[{"value":"Naantali","language":"fi"}]})";

TEST_CASE("a visiting address becomes a location with WGS84 coordinates") {
    Reader reader;
    auto location = reader.Read(Address(kNaantali, "MERIMASKU", "6714797.374", "218257.487"));
    REQUIRE(location);
    CHECK(location->name == "Koulu");
    CHECK(location->address == "Koulutie 9");
    CHECK(location->postal_code == "21160");
    CHECK(location->municipality == "529");
    REQUIRE(location->lat);
    CHECK(std::abs(*location->lat - 60.4705) < 0.001);
    CHECK(std::abs(*location->lon - 21.8724) < 0.001);
    CHECK(reader.diag.messages().empty());
}

TEST_CASE("\"0\" coordinates mean unknown: no lat/lon, no message") {
    Reader reader;
    auto location = reader.Read(Address(kNaantali, "NAANTALI", "0", "0"));
    REQUIRE(location);
    CHECK_FALSE(location->lat.has_value());
    CHECK_FALSE(location->lon.has_value());
    CHECK(reader.diag.messages().empty());
}

TEST_CASE("the generated sample point is left out, in degrees or in grid metres") {
    for (auto [north, east] :
         {std::pair{"61.6887", "27.2721"}, std::pair{"6839531.905", "514397.031"}}) {
        Reader reader;
        auto location = reader.Read(Address(kNaantali, "NAANTALI", north, east));
        REQUIRE(location);
        CHECK_FALSE(location->lat.has_value());
        REQUIRE(reader.diag.messages().size() == 1);
        CHECK(reader.diag.messages()[0].text.find("generated sample point") != std::string::npos);
        CHECK(reader.diag.skipped() == 0);
    }
}

TEST_CASE("coordinates that convert outside Finland are left out with a warning") {
    Reader reader;
    auto location = reader.Read(Address(kNaantali, "NAANTALI", "5000000", "500000"));
    REQUIRE(location);
    CHECK_FALSE(location->lat.has_value());
    REQUIRE(reader.diag.messages().size() == 1);
    CHECK(reader.diag.messages()[0].text.find("outside Finland") != std::string::npos);
}

TEST_CASE("a missing municipality is derived from a post office named like a municipality") {
    Reader reader;
    auto location = reader.Read(Address("null", "VAASA", "0", "0"));
    REQUIRE(location);
    CHECK(location->municipality == "905");
    REQUIRE(reader.diag.messages().size() == 1);
    CHECK(reader.diag.messages()[0].text.find(
              "took 905 (Vaasa) from the post office name 'VAASA'") != std::string::npos);

    Reader swedish;
    CHECK(swedish.Read(Address("null", "VASA", "0", "0"))->municipality == "905");
}

TEST_CASE("otherwise the location is kept without a municipality") {
    Reader reader;
    auto location = reader.Read(Address("null", "VELKUA", "6715111.963", "206871.995"));
    REQUIRE(location);
    CHECK(location->municipality.empty());
    CHECK(location->lat.has_value());
    REQUIRE(reader.diag.messages().size() == 1);
    CHECK(reader.diag.messages()[0].text.find("kept without a municipality") != std::string::npos);
}

TEST_CASE("postal addresses are not locations") {
    Reader reader;
    CHECK_FALSE(reader.Read(R"({"type":"Postal","subType":"PostOfficeBox","streetAddress":null,)"
                            R"("postOfficeBoxAddress":{"postalCode":"21101"}})"));
}

}  // namespace
}  // namespace tnohaku::importer
