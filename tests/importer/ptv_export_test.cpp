// The ptv-export reader on the real export (data/ptv-export/services.jsonl) and on small
// synthetic files for its failures.
#include "importer/ptv_export.h"

#include <algorithm>
#include <set>

#include <doctest/doctest.h>

#include "core/validate.h"
#include "importer/import.h"
#include "importer/merge.h"
#include "test_support.h"

namespace tnohaku::importer {
namespace {

const Vocabulary& Vocab() {
    static const auto vocab = Vocabulary::LoadEmbedded();
    return **vocab;
}

const std::string kExport = "data/ptv-export/services.jsonl";

TEST_CASE("every export row is read; 1,790 distinct services after merging") {
    Diagnostics diag;
    auto read = ReadPtvExport(testing::SourcePath(kExport), Vocab(), diag);
    REQUIRE(read.ok());
    CHECK(read->size() == 1801);
    CHECK(diag.skipped() == 0);
    std::set<std::string> ids;
    for (const auto& r : *read) ids.insert(r.record.id);
    CHECK(ids.size() == 1790);

    auto out = RunImport({{"ptv-export", testing::SourcePath(kExport)}}, Vocab(), diag);
    REQUIRE(out.ok());
    CHECK(out->lines.size() == 1790);
    CHECK(out->summary.merged_ids == 7);
    CHECK(out->summary.across_sources == 0);
    CHECK(diag.skipped() == 0);
    for (const auto& line : out->lines) {
        ParsedRecord parsed = ParseAndValidate(line, Vocab());
        for (const auto& e : parsed.errors)
            FAIL_CHECK(parsed.record.id << ": " << e.field << ": " << e.reason);
    }
}

TEST_CASE("a row becomes a record: Finnish name and summary, area, labels as keywords") {
    Diagnostics diag;
    auto read = ReadPtvExport(testing::SourcePath(kExport), Vocab(), diag);
    REQUIRE(read.ok());
    auto it = std::find_if(read->begin(), read->end(), [](const SourcedRecord& r) {
        return r.ptv_id == "3bee96e6-b7d6-4c44-b369-6c8d0da7bd63" && !r.record.keywords.empty();
    });
    REQUIRE(it != read->end());
    const Record& r = it->record;
    CHECK(r.id == "ptv-3bee96e6-b7d6-4c44-b369-6c8d0da7bd63");
    CHECK(r.type == "service");
    CHECK(r.name.fi == "Yleiset kulttuuripalvelut");
    CHECK_FALSE(r.summary.fi.empty());
    CHECK(r.area.municipalities == std::vector<std::string>{"491"});
    CHECK(r.keywords ==
          std::vector<std::string>{"ystävät", "itsensä kehittäminen", "tyytyväisyys elämään"});
    CHECK(r.source.name == "PTV export");
    CHECK(r.source.id == "3bee96e6-b7d6-4c44-b369-6c8d0da7bd63");
    CHECK(it->origin.find("services.jsonl:") != std::string::npos);
    // "EI MUKAAN" (not included) is not a keyword.
    for (const auto& item : *read) {
        CHECK(std::find(item.record.keywords.begin(), item.record.keywords.end(), "EI MUKAAN") ==
              item.record.keywords.end());
    }
}

TEST_CASE("a repeated export id becomes one record with the union of its areas") {
    // c6af661b-… (Kansallisarkisto's customer service) appears three times: Turku 853,
    // Oulu 564 and Mikkeli 491.
    Diagnostics diag;
    auto out = RunImport({{"ptv-export", testing::SourcePath(kExport)}}, Vocab(), diag);
    REQUIRE(out.ok());
    std::vector<std::string> matches;
    for (const auto& line : out->lines) {
        if (line.find("\"id\":\"ptv-c6af661b-60fc-413c-980f-349b25db2da8\"") != std::string::npos)
            matches.push_back(line);
    }
    REQUIRE(matches.size() == 1);
    ParsedRecord parsed = ParseAndValidate(matches[0], Vocab());
    REQUIRE(parsed.ok());
    CHECK(parsed.record.area.municipalities == std::vector<std::string>{"491", "564", "853"});
    CHECK_FALSE(parsed.record.area.national);
    CHECK(parsed.record.name.fi == "Asiakaspalvelu");
}

TEST_CASE("bad lines are skipped and named by file and line") {
    testing::TempDir dir;
    testing::WriteFile(
        dir / "rows.jsonl",
        R"({"ptv_id":"11111111-2222-3333-4444-555555555555","name":"Hyvä","summary":"S","scope":"national","labels":[]})"
        "\n\n"
        "not json\n"
        R"({"name":"Ilman tunnusta","scope":"national"})"
        "\n"
        R"({"ptv_id":"21111111-2222-3333-4444-555555555555","name":"Outo alue","summary":"S","scope":"999","labels":[]})"
        "\n");
    Diagnostics diag;
    auto out = RunImport({{"ptv-export", dir / "rows.jsonl"}}, Vocab(), diag);
    REQUIRE(out.ok());
    CHECK(out->lines.size() == 1);
    CHECK(diag.skipped() == 3);
    std::string all;
    for (const auto& m : diag.messages()) all += m.text + "\n";
    CAPTURE(all);
    CHECK(all.find(dir / "rows.jsonl" + ":3: not a JSON object") != std::string::npos);
    CHECK(all.find(dir / "rows.jsonl" + ":4: field 'ptv_id'") != std::string::npos);
    CHECK(all.find(dir / "rows.jsonl" +
                   ":5: ptv_id=21111111-2222-3333-4444-555555555555: field 'scope': dropped") !=
          std::string::npos);
    CHECK(all.find(":5: ptv_id=21111111-2222-3333-4444-555555555555: field 'area': must declare") !=
          std::string::npos);
}

TEST_CASE("a missing export file is an error naming it") {
    Diagnostics diag;
    auto read = ReadPtvExport("/nonexistent/services.jsonl", Vocab(), diag);
    REQUIRE_FALSE(read.ok());
    CHECK(read.status().message().find("/nonexistent/services.jsonl") != std::string::npos);
}

}  // namespace
}  // namespace tnohaku::importer
