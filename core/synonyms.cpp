#include "core/synonyms.h"

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/analyzer.h"

namespace tnohaku {

namespace {

bool ValidUtf8(std::string_view s) {
    constexpr size_t kBad = 9;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        size_t extra = c < 0x80         ? 0
                       : (c >> 5) == 6  ? 1
                       : (c >> 4) == 14 ? 2
                       : (c >> 3) == 30 ? 3
                                        : kBad;
        if (extra == kBad || i + extra >= s.size() + (extra == 0)) return false;
        for (size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += extra + 1;
    }
    return true;
}

// Trims and collapses runs of spaces and tabs into one space.
std::string Normalise(std::string_view s) {
    std::string out;
    for (char c : s) {
        bool space = c == ' ' || c == '\t' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

size_t WordCount(const std::string& expression) {
    size_t n = expression.empty() ? 0 : 1;
    for (char c : expression) n += c == ' ';
    return n;
}

}  // namespace

Result<Synonyms> Synonyms::Parse(std::string_view text, const std::string& source) {
    Synonyms out;
    out.fingerprint_ = std::hash<std::string_view>{}(text) | 1;  // never 0 ("none")
    std::set<std::string> seen;  // folded expressions: each may stand in one group only
    size_t line_no = 0;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        auto fail = [&](const std::string& why) {
            return Status::InvalidArgument(source + ":" + std::to_string(line_no) + ": " + why);
        };
        if (!ValidUtf8(line)) return fail("not valid UTF-8");
        if (size_t hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        if (Normalise(line).empty()) continue;
        std::vector<std::string> group;
        for (size_t from = 0; from <= line.size();) {
            size_t tilde = line.find('~', from);
            if (tilde == std::string_view::npos) tilde = line.size();
            std::string expression = Normalise(line.substr(from, tilde - from));
            from = tilde + 1;
            if (expression.empty()) return fail("an expression is missing between '~'");
            if (WordCount(expression) > kMaxExpressionWords) {
                return fail("'" + expression + "' has more than " +
                            std::to_string(kMaxExpressionWords) + " words");
            }
            if (!seen.insert(Analyzer::Fold(expression)).second) {
                return fail("'" + expression +
                            "' is already in a group (each expression may be in one)");
            }
            group.push_back(std::move(expression));
        }
        if (group.size() < 2) return fail("a group needs two or more expressions separated by '~'");
        if (group.size() > kMaxGroupSize) {
            return fail("a group may have at most " + std::to_string(kMaxGroupSize) +
                        " expressions");
        }
        out.groups_.push_back(std::move(group));
    }
    return out;
}

Result<Synonyms> Synonyms::Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError("cannot read synonyms file '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return Parse(text.str(), path);
}

Result<std::unique_ptr<SynonymsFile>> SynonymsFile::Open(const std::string& path) {
    std::unique_ptr<SynonymsFile> file(new SynonymsFile(path));
    TRY_STATUS(file->Read());
    return file;
}

Status SynonymsFile::Read() {
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) {
        return Status::IoError("cannot read synonyms file '" + path_ + "'");
    }
    mtime_ = st.st_mtim.tv_sec;
    mtime_ns_ = st.st_mtim.tv_nsec;
    size_ = st.st_size;
    TRY_ASSIGN(Synonyms synonyms, Synonyms::Load(path_));
    current_ = std::make_shared<const Synonyms>(std::move(synonyms));
    return Status::Ok();
}

Status SynonymsFile::Refresh() {
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) {
        return Status::IoError("cannot read synonyms file '" + path_ + "' (keeping the previous)");
    }
    if (st.st_mtim.tv_sec == mtime_ && st.st_mtim.tv_nsec == mtime_ns_ && st.st_size == size_) {
        return Status::Ok();
    }
    return Read();
}

}  // namespace tnohaku
