// Merging records of one PTV id: unit tests on small records, the real overlap between
// the v11 sample and the export, and a synthetic two-source import in a temp folder.
#include "importer/merge.h"

#include <algorithm>
#include <filesystem>

#include <doctest/doctest.h>

#include "core/validate.h"
#include "importer/import.h"
#include "importer/ptv_export.h"
#include "importer/ptv_json.h"
#include "test_support.h"

namespace tnohaku::importer {
namespace {

const Vocabulary& Vocab() {
    static const auto vocab = Vocabulary::LoadEmbedded();
    return **vocab;
}

SourcedRecord Make(const std::string& id, const std::string& source, const std::string& origin) {
    SourcedRecord r;
    r.record.id = "ptv-" + id;
    r.record.type = "service";
    r.record.source = {source, id, ""};
    r.origin = origin;
    r.ptv_id = id;
    return r;
}

TEST_CASE("the richer record's text wins; lists and areas are united") {
    SourcedRecord thin = Make("a1", "PTV export", "export.jsonl:1");
    thin.record.name.fi = "Ohjaamo";
    thin.record.summary.fi = "Lyhyt.";
    thin.record.area.municipalities = {"853"};
    thin.record.keywords = {"opiskelu tai työ"};
    SourcedRecord rich =
        Make("a1", "PTV (Suomi.fi-palvelutietovaranto) open API v11", "dir/a1.json");
    rich.record.name = {"Ohjaamo Turku", "Ohjaamo Åbo", ""};
    rich.record.summary.fi = "Pidempi tiivistelmä.";
    rich.record.description.fi = "Kuvaus.";
    rich.record.area.municipalities = {"564"};
    rich.record.keywords = {"nuoret"};
    rich.record.charge = "unknown";
    thin.record.charge = "free";
    SourcedRecord other = Make("b2", "PTV export", "export.jsonl:2");
    other.record.name.fi = "Muu";

    MergeStats stats;
    auto merged = MergeById({thin, other, rich}, &stats);
    REQUIRE(merged.size() == 2);
    CHECK(stats.merged_ids == 1);
    CHECK(stats.across_sources == 1);
    const Record& r = merged[0].record;
    CHECK(r.id == "ptv-a1");
    CHECK(r.name.fi == "Ohjaamo Turku");
    CHECK(r.name.sv == "Ohjaamo Åbo");
    CHECK(r.summary.fi == "Pidempi tiivistelmä.");
    CHECK(r.source.name == "PTV (Suomi.fi-palvelutietovaranto) open API v11");
    CHECK(r.area.municipalities == std::vector<std::string>{"564", "853"});
    CHECK(r.keywords == std::vector<std::string>{"nuoret", "opiskelu tai työ"});
    CHECK(r.charge == "free");  // "unknown" gives way to a known charge
    CHECK(merged[0].origin == "dir/a1.json, export.jsonl:1");
    CHECK(merged[1].record.id == "ptv-b2");
}

TEST_CASE("national wins in the union of areas; equal records keep input order") {
    SourcedRecord a = Make("c3", "PTV export", "x:1");
    a.record.name.fi = "Sama";
    a.record.area.municipalities = {"491"};
    SourcedRecord b = Make("c3", "PTV export", "x:2");
    b.record.name.fi = "Sama";
    b.record.area.national = true;
    auto merged = MergeById({a, b}, nullptr);
    REQUIRE(merged.size() == 1);
    CHECK(merged[0].record.area.national);
    CHECK(merged[0].record.area.municipalities == std::vector<std::string>{"491"});
    CHECK(merged[0].origin == "x:1, x:2");
}

TEST_CASE("the same PTV id in ptv-json (v11) and ptv-export becomes one record") {
    // 3668d250-… (Nettilukio aikuisille) is both data/ptv-json/v11/etalukio_service.json
    // and a row of the export.
    Diagnostics diag;
    auto out = RunImport({{"ptv-json", testing::SourcePath("data/ptv-json")},
                          {"ptv-export", testing::SourcePath("data/ptv-export/services.jsonl")}},
                         Vocab(), diag);
    REQUIRE(out.ok());
    CHECK(out->lines.size() == 32 + 1790 - 1);
    CHECK(out->summary.across_sources == 1);
    CHECK(out->summary.merged_ids == 8);
    CHECK(diag.skipped() == 0);
    size_t found = 0;
    for (const auto& line : out->lines) {
        if (line.find("\"id\":\"ptv-3668d250-cd80-45c4-abcc-9b2d3a2b3e42\"") == std::string::npos)
            continue;
        ++found;
        ParsedRecord parsed = ParseAndValidate(line, Vocab());
        REQUIRE(parsed.ok());
        const Record& r = parsed.record;
        CHECK(r.source.name == PtvApiSourceName("v11"));  // the richer source
        CHECK_FALSE(r.description.fi.empty());
        CHECK(r.area.national);
        CHECK(std::find(r.keywords.begin(), r.keywords.end(), "opiskelu tai työ") !=
              r.keywords.end());
        CHECK(std::find(r.keywords.begin(), r.keywords.end(), "etäopetus") != r.keywords.end());
    }
    CHECK(found == 1);
}

TEST_CASE("synthetic: a ptv-json service and export rows of the same id, areas united") {
    testing::TempDir dir;
    std::filesystem::create_directories(dir.path() / "json/v11");
    testing::WriteFile(
        dir / "json/v11/s.json",
        R"({"id":"12345678-aaaa-bbbb-cccc-1234567890ab","type":"Service",)"
        R"("serviceNames":[{"language":"fi","value":"Ohjaamo Oulu","type":"Name"},)"
        R"({"language":"sv","value":"Ohjaamo Uleåborg","type":"Name"}],)"
        R"("serviceDescriptions":[{"language":"fi","value":"Nuorten ohjaus.","type":"Summary"},)"
        R"({"language":"fi","value":"Ohjausta alle 30-vuotiaille.","type":"Description"}],)"
        R"("areaType":"LimitedType","areas":[{"type":"Municipality","municipalities":[{"code":"564"}]}],)"
        R"("targetGroups":[{"code":"KR1.3"}],"serviceChargeType":"FreeOfCharge","publishingStatus":"Published"})");
    testing::WriteFile(
        dir / "export.jsonl",
        R"({"ptv_id":"12345678-AAAA-bbbb-cccc-1234567890ab","name":"Ohjaamo","summary":"Lyhyt.","scope":"853","labels":["opiskelu tai työ"]})"
        "\n"
        R"({"ptv_id":"12345678-aaaa-bbbb-cccc-1234567890ab","name":"Ohjaamo","summary":"Lyhyt.","scope":"491","labels":["EI MUKAAN"]})"
        "\n");
    Diagnostics diag;
    auto out = RunImport({{"ptv-export", dir / "export.jsonl"}, {"ptv-json", dir / "json"}},
                         Vocab(), diag);
    REQUIRE(out.ok());
    REQUIRE(out->lines.size() == 1);
    CHECK(diag.skipped() == 0);
    ParsedRecord parsed = ParseAndValidate(out->lines[0], Vocab());
    REQUIRE(parsed.ok());
    const Record& r = parsed.record;
    CHECK(r.id == "ptv-12345678-aaaa-bbbb-cccc-1234567890ab");
    CHECK(r.name.fi == "Ohjaamo Oulu");
    CHECK(r.name.sv == "Ohjaamo Uleåborg");
    CHECK(r.summary.fi == "Nuorten ohjaus.");
    CHECK(r.area.municipalities == std::vector<std::string>{"491", "564", "853"});
    CHECK(r.target_groups == std::vector<std::string>{"KR1.3"});
    CHECK(r.keywords == std::vector<std::string>{"opiskelu tai työ"});
    CHECK(r.charge == "free");
    CHECK(r.source.name == PtvApiSourceName("v11"));
    CHECK(out->summary.merged_ids == 1);
    CHECK(out->summary.across_sources == 1);
}

}  // namespace
}  // namespace tnohaku::importer
