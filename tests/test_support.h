// Helpers shared by the tests: paths into the source tree and fresh temporary folders.
#pragma once

#include <filesystem>
#include <string>

namespace tnohaku::testing {

// An absolute path inside the source tree, e.g. SourcePath("corpus/seeds.jsonl").
std::string SourcePath(const std::string& relative);
// A path inside the build tree (where the programs are).
std::string BinaryPath(const std::string& relative);

// A new empty directory, removed with everything in it when the object goes away.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

// Writes text to a file (creating or truncating it).
void WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

}  // namespace tnohaku::testing
