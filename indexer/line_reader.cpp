#include "indexer/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tnohaku::indexer {
namespace {

constexpr size_t kBlockSize = 256 * 1024;

Status ErrnoStatus(const std::string& what, int err) {
    std::string msg = what + ": " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(msg) : Status::IoError(msg);
}

}  // namespace

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
    const bool stdin_input = path == "-";
    int fd = stdin_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open " + path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        if (!stdin_input) ::close(fd);
        return ErrnoStatus("cannot read " + path, err);
    }
    if (S_ISDIR(st.st_mode)) {
        if (!stdin_input) ::close(fd);
        return Status::IoError("cannot read " + path + ": it is a directory");
    }
    std::optional<uint64_t> size;
    if (S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
    return std::unique_ptr<LineReader>(new LineReader(stdin_input ? "<stdin>" : path, fd, size));
}

LineReader::LineReader(std::string name, int fd, std::optional<uint64_t> size)
    : name_(std::move(name)), fd_(fd), size_(size), buffer_(kBlockSize) {}

LineReader::~LineReader() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
}

Status LineReader::Fill() {
    pos_ = end_ = 0;
    while (true) {
        ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ErrnoStatus("cannot read " + name_, errno);
        if (n == 0) eof_ = true;
        end_ = static_cast<size_t>(n);
        return Status::Ok();
    }
}

void LineReader::Append(Line& line, const char* data, size_t n) {
    line.length += n;
    if (!line.too_long && line.length > kMaxLineBytes) {
        line.too_long = true;
        if (line.text.size() > kKeptPrefix) line.text.resize(kKeptPrefix);
    }
    if (line.too_long) {
        size_t room = kKeptPrefix - std::min(kKeptPrefix, line.text.size());
        line.text.append(data, std::min(room, n));
    } else {
        line.text.append(data, n);
    }
}

Result<bool> LineReader::Next(Line& line) {
    line.text.clear();
    line.length = 0;
    line.too_long = false;
    bool any = false;  // bytes of this line seen (an empty line still counts)
    while (true) {
        if (pos_ == end_) {
            if (eof_) break;
            TRY_STATUS(Fill());
            continue;
        }
        const char* start = buffer_.data() + pos_;
        const void* newline = std::memchr(start, '\n', end_ - pos_);
        size_t n =
            newline ? static_cast<size_t>(static_cast<const char*>(newline) - start) : end_ - pos_;
        Append(line, start, n);
        any = true;
        pos_ += n;
        bytes_read_ += n;
        if (newline) {
            ++pos_;
            ++bytes_read_;
            break;
        }
    }
    if (!any) return false;
    if (!line.too_long && !line.text.empty() && line.text.back() == '\r') {
        line.text.pop_back();
        --line.length;
    }
    line.number = ++line_number_;
    if (line.number == 1 && line.text.rfind("\xEF\xBB\xBF", 0) == 0) {
        line.text.erase(0, 3);
        line.length -= 3;
    }
    return true;
}

}  // namespace tnohaku::indexer
