#include "core/index_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/generation_writer.h"
#include "core/index_format.h"
#include "core/index_store_files.h"

namespace tnohaku {

namespace fs = std::filesystem;
namespace fmt = index_format;

using index_store_files::FromErrno;
using index_store_files::FromXapian;
using index_store_files::kTmpSuffix;
using index_store_files::SyncDirectory;
using index_store_files::WriteCurrent;

// Shared with core/generation_writer.cpp (core/index_store_files.h).

Status index_store_files::FromXapian(const std::string& what, const Xapian::Error& e) {
    std::string msg = what + ": " + e.get_type() + ": " + e.get_msg();
    // The errno text, e.g. "No space left on device", when Xapian has one.
    if (const char* reason = e.get_error_string(); reason && *reason)
        msg += " (" + std::string(reason) + ")";
    const std::string type = e.get_type();
    if (type == "InvalidArgumentError")
        return Status::InvalidArgument(msg);  // e.g. a term too long
    if (type == "DatabaseCorruptError" || type == "DatabaseVersionError")
        return Status::Corruption(msg);
    if (type == "DatabaseLockError" || type == "DatabaseModifiedError")
        return Status::Unavailable(msg);
    if (type == "DatabaseOpeningError" || type == "DatabaseNotFoundError")
        return Status::NotFound(msg);
    if (type.rfind("Database", 0) == 0) return Status::IoError(msg);  // DatabaseError and the rest
    return Status::Internal(msg);
}

Status index_store_files::FromErrno(const std::string& what) {
    return Status::IoError(what + ": " + std::strerror(errno));
}

Status index_store_files::SyncDirectory(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return FromErrno("cannot open " + dir);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return FromErrno("cannot sync " + dir);
    return Status::Ok();
}

namespace {

constexpr const char* kCurrentName = "CURRENT";
constexpr const char* kCurrentTmpName = "CURRENT.tmp";
constexpr const char* kLockName = ".lock";

int CreateFlags(GenerationKind kind) {
    const int flags = Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS;
    return kind == GenerationKind::kRebuildOnly ? flags | Xapian::DB_NO_TERMLIST : flags;
}

Status FromFs(const std::string& what, const std::error_code& ec) {
    return Status::IoError(what + ": " + ec.message());
}

// "gen-000007" → 7; nullopt for anything else (including "gen-7.tmp").
std::optional<uint64_t> ParseGenerationName(std::string_view name) {
    constexpr std::string_view kPrefix = "gen-";
    if (name.substr(0, kPrefix.size()) != kPrefix || name.size() == kPrefix.size())
        return std::nullopt;
    std::string_view digits = name.substr(kPrefix.size());
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return n;
}

// Writes `text` to `path` and fsyncs it.
Status WriteFileDurably(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return FromErrno("cannot create " + path);
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            Status st = FromErrno("cannot write " + path);
            ::close(fd);
            return st;
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        Status st = FromErrno("cannot sync " + path);
        ::close(fd);
        return st;
    }
    if (::close(fd) != 0) return FromErrno("cannot close " + path);
    return Status::Ok();
}

}  // namespace

Status index_store_files::WriteCurrent(const IndexStore& store, uint64_t generation) {
    const std::string tmp = store.dir() + "/" + kCurrentTmpName;
    Status st = WriteFileDurably(tmp, "auto " + IndexStore::GenerationName(generation) + "\n");
    if (st.ok() && std::rename(tmp.c_str(), store.CurrentPath().c_str()) != 0) {
        st = FromErrno("cannot rename " + tmp + " to " + store.CurrentPath());
    }
    if (!st.ok()) {
        ::unlink(tmp.c_str());
        return st;
    }
    return SyncDirectory(store.dir());
}

// ---------------------------------------------------------------------------------------
// IndexStore

IndexStore::IndexStore(std::string dir) : dir_(std::move(dir)) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

std::string IndexStore::CurrentPath() const {
    return dir_ + "/" + kCurrentName;
}

std::string IndexStore::GenerationPath(uint64_t generation) const {
    return dir_ + "/" + GenerationName(generation);
}

std::string IndexStore::GenerationName(uint64_t generation) {
    std::string digits = std::to_string(generation);
    if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
    return "gen-" + digits;
}

Result<std::optional<uint64_t>> IndexStore::Current() const {
    std::ifstream in(CurrentPath());
    if (!in) {
        std::error_code ec;
        if (!fs::exists(CurrentPath(), ec)) return std::optional<uint64_t>();
        return Status::IoError("cannot read " + CurrentPath());
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string type, name;
        words >> type >> name;
        if (type == "auto" || type == "glass") {
            if (auto n = ParseGenerationName(name)) return std::optional<uint64_t>(*n);
        }
        break;
    }
    return Status::Corruption(CurrentPath() +
                              " does not name a generation (expected \"auto gen-NNNNNN\")");
}

Result<std::vector<uint64_t>> IndexStore::List() const {
    std::vector<uint64_t> out;
    std::error_code ec;
    fs::directory_iterator it(dir_, ec);
    if (ec == std::errc::no_such_file_or_directory) return out;
    if (ec) return FromFs("cannot list " + dir_, ec);
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        auto n = ParseGenerationName(it->path().filename().string());
        if (n && it->is_directory(ec)) out.push_back(*n);
    }
    if (ec) return FromFs("cannot list " + dir_, ec);
    std::sort(out.begin(), out.end());
    return out;
}

Result<Xapian::Database> IndexStore::OpenCurrent() const {
    TRY_ASSIGN(std::optional<uint64_t> current, Current());
    if (!current) return Status::NotFound("no index in " + dir_ + " (no " + CurrentPath() + ")");
    const std::string path = GenerationPath(*current);
    try {
        Xapian::Database db(path);
        std::string format = db.get_metadata(fmt::kMetaFormat);
        if (format != fmt::kFormatVersion) {
            return Status::Corruption(path + " has index format '" + format +
                                      "'; this program reads format " + fmt::kFormatVersion);
        }
        return db;
    } catch (const Xapian::Error& e) {
        return FromXapian("cannot open " + path, e);
    }
}

Status IndexStore::RemoveStale(const IndexLock&) const {
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(dir_, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        bool tmp_generation = name.size() > 4 && name.ends_with(kTmpSuffix) &&
                              ParseGenerationName(name.substr(0, name.size() - 4)).has_value();
        if (tmp_generation || name == kCurrentTmpName) stale.push_back(it->path());
    }
    if (ec) return FromFs("cannot list " + dir_, ec);
    for (const auto& path : stale) {
        fs::remove_all(path, ec);
        if (ec) return FromFs("cannot remove " + path.string(), ec);
    }
    return Status::Ok();
}

Result<std::unique_ptr<GenerationWriter>> IndexStore::BeginGeneration(const IndexLock&,
                                                                      GenerationKind kind) const {
    TRY_ASSIGN(std::vector<uint64_t> generations, List());
    TRY_ASSIGN(std::optional<uint64_t> current, Current());
    uint64_t next = generations.empty() ? 1 : generations.back() + 1;
    if (current && *current >= next) next = *current + 1;
    const std::string tmp = GenerationPath(next) + kTmpSuffix;
    std::error_code ec;
    fs::remove_all(tmp, ec);
    if (ec) return FromFs("cannot remove " + tmp, ec);
    std::optional<Xapian::Database> previous;
    try {
        if (current) previous.emplace(GenerationPath(*current));
    } catch (const Xapian::Error& e) {
        return FromXapian("cannot open the current generation " + GenerationPath(*current), e);
    }
    try {
        GenerationWriter::Parts parts{*this,
                                      next,
                                      false,
                                      current,
                                      Xapian::WritableDatabase(tmp, CreateFlags(kind)),
                                      std::move(previous)};
        return std::unique_ptr<GenerationWriter>(new GenerationWriter(std::move(parts)));
    } catch (const Xapian::Error& e) {
        fs::remove_all(tmp, ec);
        return FromXapian("cannot create " + tmp, e);
    }
}

Result<std::unique_ptr<GenerationWriter>> IndexStore::UpdateCurrent(const IndexLock& lock) const {
    TRY_ASSIGN(std::optional<uint64_t> current, Current());
    if (!current) return BeginGeneration(lock);
    const std::string path = GenerationPath(*current);
    if (IsRebuildOnly(*current)) {
        return Status::InvalidArgument(
            path +
            " was built with --rebuild-only (without Xapian's termlist table, which "
            "changing records in place needs): --update and --delete cannot change it; "
            "rebuild the index instead (without --rebuild-only to allow updates again)");
    }
    try {
        GenerationWriter::Parts parts{
            *this,
            *current,
            true,
            current,
            Xapian::WritableDatabase(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS),
            std::nullopt};
        parts.previous.emplace(path);
        parts.db.begin_transaction();
        return std::unique_ptr<GenerationWriter>(new GenerationWriter(std::move(parts)));
    } catch (const Xapian::Error& e) {
        return FromXapian("cannot open " + path + " for update", e);
    }
}

bool IndexStore::IsRebuildOnly(uint64_t generation) const {
    // A glass database keeps each table in TABLE.glass; DB_NO_TERMLIST creates none for
    // the termlist (xapian/constants.h: deleting termlist.* converts a database).
    const fs::path path = GenerationPath(generation);
    std::error_code ec;
    return fs::is_directory(path, ec) && !fs::exists(path / "termlist.glass", ec);
}

Status IndexStore::SwitchCurrent(uint64_t generation, const IndexLock&) const {
    std::error_code ec;
    if (!fs::is_directory(GenerationPath(generation), ec)) {
        return Status::NotFound("no generation " + GenerationPath(generation));
    }
    return WriteCurrent(*this, generation);
}

Status IndexStore::RemoveGenerationsExcept(const std::vector<uint64_t>& keep,
                                           const IndexLock&) const {
    TRY_ASSIGN(std::vector<uint64_t> generations, List());
    TRY_ASSIGN(std::optional<uint64_t> current, Current());
    for (uint64_t g : generations) {
        if (g == current || std::find(keep.begin(), keep.end(), g) != keep.end()) continue;
        std::error_code ec;
        fs::remove_all(GenerationPath(g), ec);
        if (ec) return FromFs("cannot remove " + GenerationPath(g), ec);
    }
    return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// IndexLock

Result<IndexLock> IndexLock::Acquire(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return FromFs("cannot create " + dir, ec);
    const std::string path = dir + "/" + kLockName;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return FromErrno("cannot open " + path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        char holder[32] = {};
        ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
        ::close(fd);
        if (err != EWOULDBLOCK) {
            errno = err;
            return FromErrno("cannot lock " + path);
        }
        std::string pid = n > 0 ? std::string(holder, static_cast<size_t>(n)) : std::string();
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
        return Status::Unavailable("another tnohaku-index is writing " + dir +
                                   (pid.empty() ? "" : " (pid " + pid + ")") + ": " + path +
                                   " is locked; try again when it has finished");
    }
    // The holder's pid, for the message above (advisory only).
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] ssize_t ignored = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return IndexLock(dir, fd);
}

IndexLock::~IndexLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

IndexLock::IndexLock(IndexLock&& other) noexcept : dir_(std::move(other.dir_)), fd_(other.fd_) {
    other.fd_ = -1;
}

IndexLock& IndexLock::operator=(IndexLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        dir_ = std::move(other.dir_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

}  // namespace tnohaku
