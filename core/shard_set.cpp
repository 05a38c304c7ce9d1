#include "core/shard_set.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tnohaku {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestHeader = "tnohaku-shards 1";
constexpr const char* kHashName = "fnv1a64";

Status Bad(const std::string& path, int line, const std::string& why) {
    return Status::Corruption(path + ":" + std::to_string(line) + ": " + why);
}

}  // namespace

uint64_t Fnv1a64(std::string_view id) {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : id) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

uint32_t ShardOf(std::string_view id, uint32_t shards) {
    return static_cast<uint32_t>(Fnv1a64(id) % shards);
}

std::string ShardSet::ManifestPath() const {
    return (fs::path(dir) / "SHARDS").string();
}

std::string ShardSet::ShardDir(uint32_t shard) const {
    return (fs::path(dir) / ("shard-" + std::to_string(shard))).string();
}

std::string ShardSet::SideDir() const {
    return (fs::path(dir) / "side").string();
}

Result<std::optional<uint32_t>> ReadShardCount(const std::string& dir) {
    const std::string path = ShardSet{dir, 0}.ManifestPath();
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::optional<uint32_t>();
    std::ifstream in(path);
    if (!in) return Status::IoError(path + ": cannot be read");
    std::string header, shards_line, hash_line;
    std::getline(in, header);
    std::getline(in, shards_line);
    std::getline(in, hash_line);
    if (header != kManifestHeader)
        return Bad(path, 1, "expected '" + std::string(kManifestHeader) + "'");
    std::istringstream shards_in(shards_line);
    std::string word;
    uint32_t n = 0;
    if (!(shards_in >> word >> n) || word != "shards" || n < 1 || n > kMaxShards)
        return Bad(path, 2, "expected 'shards N' with N from 1 to " + std::to_string(kMaxShards));
    if (hash_line != std::string("hash ") + kHashName)
        return Bad(path, 3, "expected 'hash " + std::string(kHashName) + "'");
    return std::optional<uint32_t>(n);
}

Status WriteShardManifest(const ShardSet& set) {
    const std::string path = set.ManifestPath();
    const std::string tmp = path + ".tmp";
    const std::string text = std::string(kManifestHeader) + "\nshards " +
                             std::to_string(set.shards) + "\nhash " + kHashName + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        if (ok) saved = errno;
        return Status::IoError("cannot write " + path + ": " + std::strerror(saved));
    }
    return Status::Ok();
}

}  // namespace tnohaku
