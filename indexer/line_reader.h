// LineReader: the lines of a JSONL file, read in large blocks, with the bytes read so far
// (for the progress line) and a hard limit on line length, so that one runaway line
// cannot take the memory of the run: a line over kMaxLineBytes is returned as too_long
// with only its start kept.
//
// Line ends may be "\n" or "\r\n"; a UTF-8 byte order mark at the start of the file is
// skipped; the last line needs no line end.
//
// Thread safety: one reader per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace tnohaku::indexer {

struct Line {
    std::string text;     // without the line end; for a too_long line only its start
    uint64_t number = 0;  // 1-based
    uint64_t length = 0;  // the full length in bytes, without the line end
    bool too_long = false;
};

class LineReader {
  public:
    static constexpr size_t kMaxLineBytes = size_t{1} << 20;  // 1 MiB
    static constexpr size_t kKeptPrefix = 4096;               // of a too_long line

    // Opens a file; "-" is standard input. Fails (kNotFound, kIoError) naming the file.
    static Result<std::unique_ptr<LineReader>> Open(const std::string& path);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // The next line into `line`; false at the end of the file. kIoError on a read error.
    Result<bool> Next(Line& line);

    // The name to report ("<stdin>" for "-").
    const std::string& name() const { return name_; }
    uint64_t bytes_read() const { return bytes_read_; }
    // The file's size; nullopt for pipes and terminals.
    std::optional<uint64_t> size() const { return size_; }

  private:
    LineReader(std::string name, int fd, std::optional<uint64_t> size);
    Status Fill();
    void Append(Line& line, const char* data, size_t n);

    std::string name_;
    int fd_;
    std::optional<uint64_t> size_;
    std::vector<char> buffer_;
    size_t pos_ = 0, end_ = 0;
    bool eof_ = false;
    uint64_t bytes_read_ = 0;
    uint64_t line_number_ = 0;
};

}  // namespace tnohaku::indexer
