#include "indexer/record_source.h"

#include <exception>
#include <utility>

#include "core/validate.h"
#include "indexer/report.h"

namespace tnohaku::indexer {
namespace {

constexpr size_t kBatchSize = 64;   // items handed over at once
constexpr size_t kMaxBatches = 16;  // how far the producer may run ahead

bool Blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\f\v") == std::string::npos;
}

bool IdChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::string GuessId(std::string_view text) {
    size_t i = 0;
    auto expect = [&](std::string_view s) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (text.substr(i, s.size()) != s) return false;
        i += s.size();
        return true;
    };
    if (!expect("{") || !expect("\"id\"") || !expect(":") || !expect("\"")) return {};
    size_t begin = i;
    while (i < text.size() && i - begin <= 100 && IdChar(text[i])) ++i;
    if (i == begin || i - begin > 100 || i >= text.size() || text[i] != '"') return {};
    return std::string(text.substr(begin, i - begin));
}

RecordSource::RecordSource(std::vector<std::unique_ptr<LineReader>> readers,
                           const Vocabulary& vocab, std::vector<DocumentBuilder*> builders)
    : readers_(std::move(readers)), vocab_(vocab), builders_(std::move(builders)) {}

RecordSource::~RecordSource() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    changed_.notify_all();
    if (reader_thread_.joinable()) reader_thread_.join();
    for (std::thread& thread : analysis_threads_) thread.join();
}

void RecordSource::Start() {
    reader_thread_ = std::thread([this] { Read(); });
    for (DocumentBuilder* builder : builders_) {
        analysis_threads_.emplace_back([this, builder] { Analyse(*builder); });
    }
}

void RecordSource::Read() {
    Status status;
    try {
        status = ReadAll();
    } catch (const std::exception& e) {
        status = Status::Internal(std::string("while reading records: ") + e.what());
    }
    {
        std::lock_guard lock(mutex_);
        reading_done_ = true;
        read_error_ = status;
    }
    changed_.notify_all();
}

Status RecordSource::ReadAll() {
    uint64_t bytes_before = 0;  // of the files already read
    std::vector<RawLine> batch;
    Line line;
    for (size_t file = 0; file < readers_.size(); ++file) {
        LineReader& reader = *readers_[file];
        while (true) {
            TRY_ASSIGN(bool more, reader.Next(line));
            if (!more) break;
            if (!line.too_long && Blank(line.text)) continue;
            batch.push_back({file, std::move(line), bytes_before + reader.bytes_read()});
            if (batch.size() == kBatchSize && !Push(std::exchange(batch, {}))) return Status::Ok();
        }
        bytes_before += reader.bytes_read();
    }
    if (!batch.empty()) Push(std::move(batch));
    return Status::Ok();
}

// Waits while kMaxBatches batches are read but not yet taken by NextBatch, so memory
// stays bounded however slow the writer is.
bool RecordSource::Push(std::vector<RawLine> lines) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || batches_read_ - next_batch_ < kMaxBatches; });
    if (stopped_) return false;
    waiting_.push_back({batches_read_++, std::move(lines)});
    lock.unlock();
    changed_.notify_all();
    return true;
}

// One analysis thread: takes the oldest batch read, analyses it with its own builder and
// files the result under the batch's number, until the input ends or the source stops.
void RecordSource::Analyse(DocumentBuilder& builder) {
    while (true) {
        RawBatch batch;
        std::vector<std::vector<SourceItem>> spent;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stopped_ || !waiting_.empty() || reading_done_; });
            if (stopped_ || waiting_.empty()) return;
            batch = std::move(waiting_.front());
            waiting_.pop_front();
            spent.swap(spent_);
        }
        spent.clear();  // outside the lock
        std::vector<SourceItem> items;
        Status failure;
        try {
            items.reserve(batch.lines.size());
            for (const RawLine& raw : batch.lines) items.push_back(Process(builder, raw));
        } catch (const std::exception& e) {
            failure = Status::Internal(std::string("while analysing records: ") + e.what());
        }
        {
            std::lock_guard lock(mutex_);
            if (failure.ok()) {
                analysed_.emplace(batch.number, std::move(items));
            } else if (analysis_error_.ok()) {
                analysis_error_ = failure;
                stopped_ = true;
            }
        }
        changed_.notify_all();
    }
}

SourceItem RecordSource::Process(DocumentBuilder& builder, const RawLine& raw) const {
    const Line& line = raw.line;
    SourceItem item;
    item.file = raw.file;
    item.line = line.number;
    item.bytes_done = raw.bytes_done;
    if (line.too_long) {
        item.parsed.errors.push_back({"(record)", "the line is " + WithThousands(line.length) +
                                                      " bytes, over the limit of 1 MiB (" +
                                                      WithThousands(LineReader::kMaxLineBytes) +
                                                      " bytes); not parsed"});
    } else {
        item.parsed = ParseAndValidate(line.text, vocab_);
    }
    if (item.parsed.ok()) {
        item.built = builder.Build(item.parsed.record);
    } else if (item.parsed.record.id.empty()) {
        item.parsed.record.id = GuessId(line.text);
    }
    return item;
}

void RecordSource::Recycle(std::vector<SourceItem> spent) {
    std::lock_guard lock(mutex_);
    spent_.push_back(std::move(spent));
}

bool RecordSource::Finished() const {
    return reading_done_ && next_batch_ == batches_read_;
}

Result<std::vector<SourceItem>> RecordSource::NextBatch() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
        return !analysis_error_.ok() || analysed_.count(next_batch_) > 0 || Finished();
    });
    if (!analysis_error_.ok()) return analysis_error_;
    auto it = analysed_.find(next_batch_);
    if (it == analysed_.end()) {
        if (!read_error_.ok()) return read_error_;
        return std::vector<SourceItem>();
    }
    std::vector<SourceItem> batch = std::move(it->second);
    analysed_.erase(it);
    ++next_batch_;
    lock.unlock();
    changed_.notify_all();
    return batch;
}

}  // namespace tnohaku::indexer
