// libFuzzer target: one JSON Lines record through ParseAndValidate (core/validate.h), the
// check every reader of records uses, and ReadStoredRecord (a document's data).
// Property: a record that passes re-reads from its canonical JSON to the same canonical
// JSON, and passes again (the index stores exactly what was validated).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "core/record.h"
#include "core/validate.h"
#include "core/vocab.h"

namespace {

const tnohaku::Vocabulary& Vocab() {
    static const std::shared_ptr<const tnohaku::Vocabulary> vocab = [] {
        auto loaded = tnohaku::Vocabulary::LoadEmbedded();
        if (!loaded.ok()) {
            std::fprintf(stderr, "fuzz_record: %s\n", loaded.status().message().c_str());
            std::abort();
        }
        return *loaded;
    }();
    return *vocab;
}

void Expect(bool condition, const char* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz_record: property failed: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    tnohaku::ParsedRecord parsed = tnohaku::ParseAndValidate(line, Vocab());
    (void)tnohaku::ReadStoredRecord(line);
    if (!parsed.ok()) {
        for (const auto& error : parsed.errors) {
            Expect(!error.reason.empty(), "every error has a reason");
            (void)tnohaku::FormatRecordError("fuzz.jsonl", 1, parsed.record.id, error);
        }
        return 0;
    }
    std::string canonical = tnohaku::RecordToJson(parsed.record);
    tnohaku::ParsedRecord again = tnohaku::ParseAndValidate(canonical, Vocab());
    Expect(again.ok(), "the canonical JSON of a valid record is valid");
    Expect(tnohaku::RecordToJson(again.record) == canonical, "canonical JSON is a fixed point");
    auto stored = tnohaku::ReadStoredRecord(canonical);
    Expect(stored.ok() && tnohaku::RecordToJson(*stored) == canonical,
           "the stored form reads back to the same record");
    return 0;
}
