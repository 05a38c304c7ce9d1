#include "server/static_files.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tnohaku::server {

namespace {

std::string RealPath(const std::string& path) {
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved)) return {};
    return resolved;
}

// 400 reasons for a path that tries to leave the folder or is encoded twice.
bool IsSuspicious(const std::string& path) {
    if (path.empty() || path[0] != '/') return true;
    if (path.find("..") != std::string::npos) return true;
    for (char c : path) {
        if (c == '\\' || c == '%' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return true;
    }
    return path.find("//") != std::string::npos;
}

bool HasHiddenSegment(const std::string& path) {
    return path.find("/.") != std::string::npos;
}

}  // namespace

std::string ContentTypeFor(const std::string& file_name) {
    static const std::pair<const char*, const char*> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "application/javascript"},
        {".mjs", "application/javascript"},
        {".css", "text/css"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
    };
    for (const auto& [ext, type] : kTypes) {
        std::string_view e(ext);
        if (file_name.size() >= e.size() &&
            file_name.compare(file_name.size() - e.size(), e.size(), e) == 0) {
            return type;
        }
    }
    return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& dir) : root_(RealPath(dir)) {}

ApiResponse StaticFiles::Serve(const std::string& path) const {
    if (IsSuspicious(path))
        return ErrorResponse(400, "invalid_argument", "this path is not allowed");
    if (root_.empty() || HasHiddenSegment(path))
        return ErrorResponse(404, "not_found", "no such file");
    std::string relative = path == "/" ? "/index.html" : path;
    if (relative.back() == '/') relative += "index.html";
    std::string real = RealPath(root_ + relative);
    struct stat st {};
    if (real.empty() || real.compare(0, root_.size() + 1, root_ + "/") != 0 ||
        ::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return ErrorResponse(404, "not_found", "no such file");
    }
    std::ifstream in(real, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) return ErrorResponse(404, "not_found", "no such file");

    ApiResponse response;
    response.body = content.str();
    response.content_type = ContentTypeFor(real);
    if (response.content_type.rfind("text/html", 0) == 0)
        response.SetHeader("Content-Security-Policy", kPagePolicy);
    response.SetHeader("Cache-Control", "no-cache");
    response.SetHeader("ETag", "W/\"" + std::to_string(st.st_size) + "-" +
                                   std::to_string(st.st_mtim.tv_sec) + "." +
                                   std::to_string(st.st_mtim.tv_nsec) + "\"");
    return response;
}

}  // namespace tnohaku::server
