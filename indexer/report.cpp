#include "indexer/report.h"

#include <algorithm>
#include <cstdio>

namespace tnohaku::indexer {
namespace {

constexpr const char* kProgram = "tnohaku-index: ";
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
// A run shorter than this shows no progress line at all.
constexpr auto kProgressDelay = std::chrono::milliseconds(500);

std::string Duration(double seconds) {
    auto s = static_cast<uint64_t>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lu:%02lu", static_cast<unsigned long>(s / 60),
                  static_cast<unsigned long>(s % 60));
    return buf;
}

std::string Plural(uint64_t n, const char* one, const char* many) {
    return WithThousands(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string WithThousands(uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Report::Report(std::ostream& out, ReportOptions options)
    : out_(out),
      options_(options),
      start_(std::chrono::steady_clock::now()),
      next_progress_(start_ + kProgressDelay) {}

void Report::RecordError(std::string_view file, uint64_t line, std::string_view id,
                         const FieldError& error) {
    ClearProgress();
    out_ << FormatRecordError(file, line, id, error) << '\n';
}

void Report::Kept(std::string_view file, uint64_t line, std::string_view id, uint64_t generation) {
    ClearProgress();
    out_ << file << ':' << line << ": id=" << id << ": kept the previous version of id=" << id
         << " (generation " << generation << ")\n";
}

void Report::Note(const std::string& text) {
    ClearProgress();
    out_ << kProgram << text << '\n';
}

void Report::Failure(const Status& status) {
    ClearProgress();
    out_ << kProgram << "error: " << status.message() << '\n';
}

void Report::Progress(const Counts& counts, uint64_t bytes_done) {
    if (!options_.progress || options_.quiet) return;
    auto now = std::chrono::steady_clock::now();
    if (now < next_progress_) return;
    next_progress_ = now + kProgressInterval;
    double seconds = std::chrono::duration<double>(now - start_).count();
    out_ << '\r' << ProgressText(counts, bytes_done, seconds) << "\033[K" << std::flush;
    progress_shown_ = true;
}

std::string Report::ProgressText(const Counts& counts, uint64_t bytes_done, double seconds) const {
    std::string text = WithThousands(counts.read) + " records";
    if (seconds > 0)
        text += ", " + WithThousands(static_cast<uint64_t>(counts.read / seconds)) + " records/s";
    if (counts.rejected > 0) text += ", " + WithThousands(counts.rejected) + " rejected";
    if (total_bytes_ && *total_bytes_ > 0 && bytes_done > 0) {
        double fraction =
            std::min(1.0, static_cast<double>(bytes_done) / static_cast<double>(*total_bytes_));
        text += ", " + std::to_string(static_cast<int>(fraction * 100)) + "%";
        text += ", ETA " + Duration(seconds * (1 - fraction) / fraction);
    }
    return text;
}

void Report::ClearProgress() {
    if (!progress_shown_) return;
    out_ << "\r\033[K";
    progress_shown_ = false;
}

void Report::Summary(const Counts& counts, const Outcome& outcome) {
    ClearProgress();
    if (options_.quiet) return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    out_ << kProgram << Plural(counts.read, "record", "records") << " read, "
         << WithThousands(counts.indexed) << " indexed, " << WithThousands(counts.rejected)
         << " rejected, " << WithThousands(counts.kept) << " kept from the previous generation";
    if (outcome.in_place) out_ << ", " << WithThousands(counts.deleted) << " deleted";
    out_ << '\n' << kProgram;
    if (outcome.in_place) {
        out_ << "updated generation " << outcome.generation << " in place";
    } else {
        out_ << "generation " << outcome.generation << " is now current";
    }
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f s", seconds);
    out_ << " in " << outcome.dir << ": " << Plural(outcome.documents, "document", "documents")
         << " (" << rate;
    if (seconds > 0 && counts.read > 0) {
        out_ << ", " << WithThousands(static_cast<uint64_t>(counts.read / seconds)) << " records/s";
    }
    out_ << ")\n";
}

}  // namespace tnohaku::indexer
