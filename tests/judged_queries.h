// The judged query set (bench/quality/queries.jsonl) and the shipped corpus
// (corpus/*.jsonl), loaded for the tests that search them: the quality floors
// (tests/core/quality_test.cpp) and the shard identity test (tests/cluster/).
#pragma once

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "core/json_util.h"
#include "core/search.h"
#include "core/validate.h"
#include "test_support.h"

namespace tnohaku::testing {

struct JudgedQuery {
    std::string id, category;
    SearchRequest request;
    std::map<std::string, int> grades;  // record id → grade
};

inline std::vector<JudgedQuery> LoadJudgedQueries() {
    std::vector<JudgedQuery> out;
    std::ifstream in(SourcePath("bench/quality/queries.jsonl"));
    REQUIRE_MESSAGE(in, "bench/quality/queries.jsonl is missing");
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        rapidjson::Document doc;
        doc.Parse(line.data(), line.size());
        REQUIRE_MESSAGE(!doc.HasParseError(), "queries.jsonl:" << n << ": not JSON");
        JudgedQuery q;
        q.id = json::GetString(doc, "id");
        q.category = json::GetString(doc, "category");
        q.request.q = json::GetString(doc, "q");
        auto lang = LangFromCode(json::GetString(doc, "lang"));
        REQUIRE_MESSAGE(lang, "queries.jsonl:" << n << ": bad lang");
        q.request.lang = *lang;
        q.request.regions = json::GetStrings(doc, "region");
        q.request.municipalities = json::GetStrings(doc, "municipality");
        q.request.limit = 10;
        const rapidjson::Value* relevant = json::Find(doc, "relevant");
        REQUIRE_MESSAGE((relevant && relevant->IsObject() && relevant->MemberCount() > 0),
                        "queries.jsonl:" << n << ": no relevant records");
        for (const auto& m : relevant->GetObject()) q.grades[m.name.GetString()] = m.value.GetInt();
        out.push_back(std::move(q));
    }
    return out;
}

inline std::vector<Record> LoadCorpus(const Vocabulary& vocab) {
    std::vector<Record> records;
    for (const char* file : {"corpus/seeds.jsonl", "corpus/ptv.jsonl"}) {
        std::ifstream in(SourcePath(file));
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            ParsedRecord parsed = ParseAndValidate(line, vocab);
            if (parsed.errors.empty()) records.push_back(std::move(parsed.record));
        }
    }
    return records;
}

}  // namespace tnohaku::testing
