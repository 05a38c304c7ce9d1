// The ptv-json reader on the real sample data (data/ptv-json: v9 and v11) and on small
// synthetic inputs for the shapes and failures the samples do not have.
#include "importer/ptv_json.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <doctest/doctest.h>

#include "core/validate.h"
#include "importer/import.h"
#include "importer/ptv_location.h"
#include "test_support.h"

namespace tnohaku::importer {
namespace {

const Vocabulary& Vocab() {
    static const auto vocab = Vocabulary::LoadEmbedded();
    return **vocab;
}

// The sample data read once: records by PTV id, and the messages.
struct Samples {
    std::map<std::string, Record> by_id;
    std::vector<SourcedRecord> records;
    Diagnostics diag;

    Samples() {
        auto read = ReadPtvJson(testing::SourcePath("data/ptv-json"), Vocab(), diag);
        REQUIRE(read.ok());
        records = std::move(read).value();
        for (const auto& r : records) by_id.emplace(r.ptv_id, r.record);
    }
    const Record& Get(const std::string& ptv_id) const {
        auto it = by_id.find(ptv_id);
        REQUIRE_MESSAGE(it != by_id.end(), ptv_id);
        return it->second;
    }
    bool Said(const std::string& part) const {
        return std::any_of(diag.messages().begin(), diag.messages().end(),
                           [&](const auto& m) { return m.text.find(part) != std::string::npos; });
    }
};

const Samples& Data() {
    static const Samples samples;
    return samples;
}

size_t FilesIn(const std::string& relative) {
    auto dir = std::filesystem::directory_iterator(testing::SourcePath(relative));
    return static_cast<size_t>(std::distance(begin(dir), end(dir)));
}

TEST_CASE("every sample service is imported: 30 from v9, 2 from v11") {
    // v9: one service a file in services/; v11: services.json holds one service keyed by
    // id, etalukio_service.json one more, otava_service_channel.json a channel.
    REQUIRE(FilesIn("data/ptv-json/v9/services") == 30);
    std::map<std::string, size_t> per_source;
    for (const auto& r : Data().records) ++per_source[r.record.source.name];
    CHECK(per_source[PtvApiSourceName("v9")] == 30);
    CHECK(per_source[PtvApiSourceName("v11")] == 2);
    CHECK(Data().records.size() == 32);
    CHECK(Data().diag.skipped() == 0);
}

TEST_CASE("every imported sample record passes ParseAndValidate") {
    Diagnostics diag;
    auto out = RunImport({{"ptv-json", testing::SourcePath("data/ptv-json")}}, Vocab(), diag);
    REQUIRE(out.ok());
    CHECK(out->lines.size() == 32);
    CHECK(diag.skipped() == 0);
    for (const auto& line : out->lines) {
        ParsedRecord parsed = ParseAndValidate(line, Vocab());
        for (const auto& e : parsed.errors)
            FAIL_CHECK(parsed.record.id << ": " << e.field << ": " << e.reason);
    }
    CHECK(std::is_sorted(out->lines.begin(), out->lines.end()));
}

TEST_CASE("ids, type and source") {
    const Record& r = Data().Get("0739289c-cc26-4097-b029-fa9c58c8d4e9");
    CHECK(r.id == "ptv-0739289c-cc26-4097-b029-fa9c58c8d4e9");
    CHECK(r.type == "service");
    CHECK(r.source.name == "PTV (Suomi.fi-palvelutietovaranto) open API v9");
    CHECK(r.source.id == "0739289c-cc26-4097-b029-fa9c58c8d4e9");
    CHECK(r.translated.empty());
    CHECK(r.name.fi == "Rajankäynti asemakaava-alueella");
    CHECK(r.summary.fi.rfind("Rajankäynti on virallinen kiinteistötoimitus", 0) == 0);
    CHECK(r.description.fi.find("\n\nNaantalin kaupunki tekee") != std::string::npos);
    CHECK(r.charge == "chargeable");
    CHECK(r.updated == "2018-05-03");
    CHECK(r.area.municipalities == std::vector<std::string>{"529"});
    CHECK(r.target_groups == std::vector<std::string>{"KR2", "KR1"});
    CHECK(r.service_classes == std::vector<std::string>{"P2.3"});
}

TEST_CASE("the service location at Iskolantie 9, Merimasku comes out at 60.4705 N, 21.8724 E") {
    const Record& r = Data().Get("e45cae1e-dfbc-44eb-b57b-ef73f21b38c4");
    auto it = std::find_if(r.locations.begin(), r.locations.end(),
                           [](const Location& l) { return l.address == "Iskolantie 9"; });
    REQUIRE(it != r.locations.end());
    CHECK(it->name == "Merimaskun koulu");
    CHECK(it->postal_code == "21160");
    CHECK(it->municipality == "529");
    REQUIRE(it->lat.has_value());
    CHECK(std::abs(*it->lat - 60.4705) < 0.001);
    CHECK(std::abs(*it->lon - 21.8724) < 0.001);
    CHECK(r.channels == std::vector<std::string>{"face-to-face", "phone", "online"});
    CHECK(r.locations.size() == 3);
}

TEST_CASE("Swedish names are kept (Vaasa)") {
    const Record& snow = Data().Get("1ba9c665-d20d-4ea0-8282-81e35c701fe7");
    CHECK(snow.name.fi == "Lumenvastaanotto");
    CHECK(snow.name.sv == "Snömottagning");
    CHECK(snow.area.municipalities == std::vector<std::string>{"905"});
    const Record& school = Data().Get("17c633dd-5408-495a-86c1-d8f57598e899");
    CHECK(school.name.sv == "Grundläggande utbildning");
    CHECK(school.name.en == "Basic education");
    CHECK_FALSE(school.summary.sv.empty());
    CHECK(school.service_languages == std::vector<std::string>{"sv", "fi"});
    bool vikinga = std::any_of(school.locations.begin(), school.locations.end(),
                               [](const Location& l) { return l.name == "Vikinga skola"; });
    CHECK(vikinga);
}

TEST_CASE("the generated otherAddress point is never a location") {
    for (const auto& item : Data().records) {
        for (const Location& l : item.record.locations) {
            CAPTURE(item.ptv_id);
            CHECK(l.postal_code != "12345");
            CHECK(l.address != "value");
            if (l.lat) CHECK_FALSE(IsGeneratedSamplePoint(*l.lat, *l.lon));
        }
    }
}

TEST_CASE("\"0\" coordinates give a location without lat/lon") {
    const Record& r = Data().Get("d088280f-3d17-4698-b440-feffc6e4fa0f");
    auto it = std::find_if(r.locations.begin(), r.locations.end(),
                           [](const Location& l) { return l.address == "Vadstenanpolku 4"; });
    REQUIRE(it != r.locations.end());
    CHECK(it->name == "Naantalin lukio");
    CHECK(it->municipality == "529");
    CHECK_FALSE(it->lat.has_value());
    CHECK_FALSE(it->lon.has_value());
}

TEST_CASE("the address without a municipality is kept without one, and said so") {
    const Record& r = Data().Get("ea3af438-bc77-49da-8f0c-2f217eee491f");
    auto it = std::find_if(r.locations.begin(), r.locations.end(),
                           [](const Location& l) { return l.address == "Palvan koulutie 9"; });
    REQUIRE(it != r.locations.end());
    CHECK(it->municipality.empty());
    CHECK(it->lat.has_value());
    CHECK(Data().Said("'VELKUA') is not a municipality: kept without a municipality"));
}

TEST_CASE("unknown codes are dropped with a warning, the record kept") {
    const Record& r = Data().Get("6c00d407-d3fd-4c7e-a373-57be9f3b2cff");
    CHECK(r.area.municipalities == std::vector<std::string>{"426"});
    CHECK(
        Data().Said("ptv_id=6c00d407-d3fd-4c7e-a373-57be9f3b2cff: areas: dropped the unknown "
                    "municipality code '123'"));
}

TEST_CASE("v11: nationwide, free, organisations, linked channel with hours") {
    const Record& r = Data().Get("3668d250-cd80-45c4-abcc-9b2d3a2b3e42");
    CHECK(r.source.name == "PTV (Suomi.fi-palvelutietovaranto) open API v11");
    CHECK(r.name.fi == "Nettilukio aikuisille");
    CHECK(r.area.national);
    CHECK(r.charge == "free");
    CHECK(std::find(r.keywords.begin(), r.keywords.end(), "Etälukio") != r.keywords.end());
    CHECK(std::find(r.service_classes.begin(), r.service_classes.end(), "P6.10") !=
          r.service_classes.end());
    REQUIRE(r.organisations.size() == 4);
    CHECK(r.organisations[0].name == "Mikkelin kaupunki");
    CHECK(r.organisations[0].role == "coordinator");
    CHECK(r.organisations[2].role == "provider");
    // The Otava channel lists this service; the service lists the channel.
    REQUIRE(r.locations.size() == 1);
    CHECK(r.locations[0].address == "Otavantie 2 B");
    CHECK(r.locations[0].municipality == "491");
    CHECK(std::abs(*r.locations[0].lat - 61.6455) < 0.001);
    CHECK(r.service_hours.fi == "Otavan Opisto / Otavia: ma–pe 8.00–16.00");
}

TEST_CASE("organisation names come from the organisation files; nameless links are left out") {
    const Record& r = Data().Get("5fe23177-860c-4257-ac03-b4cdeab87d19");
    REQUIRE(r.organisations.size() == 1);
    CHECK(r.organisations[0].name == "Vaasan kaupunki");
    CHECK(r.organisations[0].role == "coordinator");
    CHECK(Data().Said(
        "ptv_id=5fe23177-860c-4257-ac03-b4cdeab87d19: organizations: left out a Producer link"));
}

TEST_CASE("nationwide services and phone hours") {
    const Record& r = Data().Get("9f242076-de0b-4c58-810e-aac4979d71fa");
    CHECK(r.service_hours.fi.find("ma–su 8.00–16.00") != std::string::npos);
    CHECK(r.service_hours.sv.find("mån–sön 8.00–16.00") != std::string::npos);
    CHECK(Data().Get("47e7c82b-9d67-4a7e-93f7-c6ff87adf2fa").area.national);
}

// A minimal v11-style service.
std::string Service(const std::string& id, const std::string& extra = "") {
    return R"({"id":")" + id +
           R"(","type":"Service","serviceNames":[{"language":"fi","value":"Ohjaamo","type":"Name"}],)"
           R"("areaType":"LimitedType","areas":[{"type":"Municipality","municipalities":[{"code":"564"}]}],)"
           R"("serviceDescriptions":[{"language":"fi","type":"Description","value":"<p>Ohjausta <b>nuorille</b>.</p>"}],)"
           R"("publishingStatus":"Published")" +
           extra + "}";
}

TEST_CASE("list pages and lists are read; HTML is stripped") {
    testing::TempDir dir;
    std::filesystem::create_directories(dir.path() / "v11");
    testing::WriteFile(dir / "v11/page.json",
                       R"({"pageNumber":1,"pageCount":1,"itemList":[)" +
                           Service("aaaaaaaa-0000-0000-0000-000000000001") + "," +
                           Service("aaaaaaaa-0000-0000-0000-000000000002") + "]}");
    testing::WriteFile(
        dir / "list.json",
        std::string("[").append(Service("AAAAAAAA-0000-0000-0000-000000000003")).append("]"));
    Diagnostics diag;
    auto read = ReadPtvJson(dir.path().string(), Vocab(), diag);
    REQUIRE(read.ok());
    REQUIRE(read->size() == 3);
    CHECK(diag.skipped() == 0);
    CHECK((*read)[0].record.id ==
          "ptv-aaaaaaaa-0000-0000-0000-000000000003");  // list.json sorts first
    CHECK((*read)[0].record.source.name == "PTV (Suomi.fi-palvelutietovaranto) open API");
    CHECK((*read)[1].record.source.name == "PTV (Suomi.fi-palvelutietovaranto) open API v11");
    CHECK((*read)[1].record.description.fi == "Ohjausta nuorille.");
    CHECK((*read)[1].record.area.municipalities == std::vector<std::string>{"564"});
}

TEST_CASE("broken files, unpublished services and a missing folder") {
    testing::TempDir dir;
    testing::WriteFile(dir / "broken.json", "{\"id\": ");
    testing::WriteFile(dir / "other.json", R"({"hello":"world"})");
    testing::WriteFile(dir / "draft.json",
                       R"({"id":"bbbbbbbb-0000-0000-0000-000000000001","serviceNames":[],)"
                       R"("publishingStatus":"Draft"})");
    Diagnostics diag;
    auto read = ReadPtvJson(dir.path().string(), Vocab(), diag);
    REQUIRE(read.ok());
    CHECK(read->empty());
    CHECK(diag.skipped() == 3);
    std::string all;
    for (const auto& m : diag.messages()) all += m.text + "\n";
    CHECK(all.find(dir / "broken.json" + ": not valid JSON") != std::string::npos);
    CHECK(all.find(dir / "other.json" + ": holds no PTV service") != std::string::npos);
    CHECK(all.find("publishing status is 'Draft'") != std::string::npos);

    auto missing = ReadPtvJson(dir / "nope", Vocab(), diag);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == Status::Code::kNotFound);
    CHECK(missing.status().message().find(dir / "nope") != std::string::npos);
}

}  // namespace
}  // namespace tnohaku::importer
