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
                           const Vocabulary& vocab, DocumentBuilder& builder)
    : readers_(std::move(readers)), vocab_(vocab), builder_(builder) {}

RecordSource::~RecordSource() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RecordSource::Start() {
    thread_ = std::thread([this] { Produce(); });
}

void RecordSource::Produce() {
    Status status;
    try {
        status = ReadAll();
    } catch (const std::exception& e) {
        status = Status::Internal(std::string("while reading records: ") + e.what());
    }
    {
        std::lock_guard lock(mutex_);
        finished_ = true;
        error_ = status;
    }
    changed_.notify_all();
}

Status RecordSource::ReadAll() {
    uint64_t bytes_before = 0;  // of the files already read
    std::vector<SourceItem> batch;
    Line line;
    for (size_t file = 0; file < readers_.size(); ++file) {
        LineReader& reader = *readers_[file];
        while (true) {
            TRY_ASSIGN(bool more, reader.Next(line));
            if (!more) break;
            if (!line.too_long && Blank(line.text)) continue;
            batch.push_back(Process(file, line, bytes_before + reader.bytes_read()));
            if (batch.size() == kBatchSize && !Push(std::exchange(batch, {}))) return Status::Ok();
        }
        bytes_before += reader.bytes_read();
    }
    if (!batch.empty()) Push(std::move(batch));
    return Status::Ok();
}

SourceItem RecordSource::Process(size_t file, const Line& line, uint64_t bytes_done) {
    SourceItem item;
    item.file = file;
    item.line = line.number;
    item.bytes_done = bytes_done;
    if (line.too_long) {
        item.parsed.errors.push_back({"(record)", "the line is " + WithThousands(line.length) +
                                                      " bytes, over the limit of 1 MiB (" +
                                                      WithThousands(LineReader::kMaxLineBytes) +
                                                      " bytes); not parsed"});
    } else {
        item.parsed = ParseAndValidate(line.text, vocab_);
    }
    if (item.parsed.ok()) {
        item.built = builder_.Build(item.parsed.record);
    } else if (item.parsed.record.id.empty()) {
        item.parsed.record.id = GuessId(line.text);
    }
    return item;
}

bool RecordSource::Push(std::vector<SourceItem> batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || queue_.size() < kMaxBatches; });
    if (stopped_) return false;
    queue_.push_back(std::move(batch));
    lock.unlock();
    changed_.notify_all();
    return true;
}

Result<std::vector<SourceItem>> RecordSource::NextBatch() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ || !queue_.empty(); });
    if (queue_.empty()) {
        if (!error_.ok()) return error_;
        return std::vector<SourceItem>();
    }
    std::vector<SourceItem> batch = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return batch;
}

}  // namespace tnohaku::indexer
