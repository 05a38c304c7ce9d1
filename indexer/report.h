// Report: everything tnohaku-index tells a person, on one stream (stderr):
//   - one line per problem of a rejected record, "file:line: id=ID: field 'F': reason"
//     (FormatRecordError, the format every tnohaku tool uses);
//   - "file:line: id=ID: kept the previous version of id=ID (generation N)";
//   - notes and warnings ("tnohaku-index: …") and the failure ("tnohaku-index: error: …");
//   - on a terminal, a progress line rewritten in place at most four times a second;
//   - the summary at the end.
// --quiet silences the progress line and the summary only.
//
// Thread safety: one Report per run, used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/status.h"

namespace tnohaku::indexer {

struct Counts {
    uint64_t read = 0;      // non-blank lines
    uint64_t indexed = 0;   // records written
    uint64_t rejected = 0;  // records not written
    uint64_t kept = 0;      // rejected records whose previous version stays in the index
    uint64_t deleted = 0;   // --delete ids that were in the index
};

// What the summary says about where the records went.
struct Outcome {
    std::string dir;
    uint64_t generation = 0;
    bool in_place = false;   // --update: the current generation was changed
    uint64_t documents = 0;  // in the committed generation
};

struct ReportOptions {
    bool quiet = false;
    bool progress = false;  // a terminal is watching
};

class Report {
  public:
    Report(std::ostream& out, ReportOptions options);

    // The total input size for the progress line's percentage and ETA (unknown: none).
    void SetTotalBytes(std::optional<uint64_t> total) { total_bytes_ = total; }

    void RecordError(std::string_view file, uint64_t line, std::string_view id,
                     const FieldError& error);
    void Kept(std::string_view file, uint64_t line, std::string_view id, uint64_t generation);
    // "tnohaku-index: text", printed even with --quiet (warnings, refusals).
    void Note(const std::string& text);
    // "tnohaku-index: error: message".
    void Failure(const Status& status);
    // Rewrites the progress line when it is due; cheap to call per record.
    void Progress(const Counts& counts, uint64_t bytes_done);
    void Summary(const Counts& counts, const Outcome& outcome);

  private:
    void ClearProgress();
    std::string ProgressText(const Counts& counts, uint64_t bytes_done, double seconds) const;

    std::ostream& out_;
    ReportOptions options_;
    std::optional<uint64_t> total_bytes_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point next_progress_;
    bool progress_shown_ = false;
};

// 12345 → "12,345".
std::string WithThousands(uint64_t n);

}  // namespace tnohaku::indexer
