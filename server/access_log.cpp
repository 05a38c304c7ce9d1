#include "server/access_log.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/dates.h"
#include "server/params.h"

namespace tnohaku::server {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view text) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

std::string AccessLog::Format(const AccessEntry& e) const {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.2f", e.ms);
    std::string time = UtcNowIso8601();
    if (!options_.json) {
        std::string line = time + " " + std::string(e.method) + " " + std::string(e.route) + " " +
                           std::to_string(e.status) + " " + ms + "ms";
        if (options_.log_queries) {
            line += ' ';
            line += e.target;
        }
        return line;
    }
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("time");
    Str(w, time);
    w.Key("method");
    Str(w, e.method);
    w.Key("route");
    Str(w, e.route);
    w.Key("status");
    w.Int(e.status);
    w.Key("ms");
    w.RawValue(ms, std::strlen(ms), rapidjson::kNumberType);
    if (options_.log_queries) {
        w.Key("target");
        Str(w, e.target);
    }
    w.EndObject();
    return buffer.GetString();
}

void AccessLog::Write(const AccessEntry& entry) {
    std::string line = Format(entry) + "\n";
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

Result<std::unique_ptr<ZeroResultLog>> ZeroResultLog::Open(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "a");
    if (!file)
        return Status::IoError("cannot open " + path + " for appending: " + std::strerror(errno));
    return std::unique_ptr<ZeroResultLog>(new ZeroResultLog(file));
}

ZeroResultLog::~ZeroResultLog() {
    std::fclose(file_);
}

std::string ZeroResultLog::Format(const SearchRequest& r, std::string_view time) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("time");
    Str(w, time);
    w.Key("q");
    Str(w, r.q);
    w.Key("lang");
    Str(w, LangCode(r.lang));
    w.Key("filters");
    w.StartObject();
    for (const FilterParam& param : FilterParams()) {
        const auto& values = FilterValues(r, param);
        if (values.empty()) continue;
        Str(w, param.name);
        w.StartArray();
        for (const auto& v : values) Str(w, v);
        w.EndArray();
    }
    w.EndObject();
    w.Key("national");
    Str(w, r.include_national ? "include" : "exclude");
    w.Key("active_on");
    if (r.active_on)
        Str(w, FormatDay(*r.active_on));
    else
        w.Null();
    w.Key("status");
    Str(w, PeriodStatusName(r.status));
    w.EndObject();
    return buffer.GetString();
}

void ZeroResultLog::Write(const SearchRequest& request) {
    std::string line = Format(request, UtcNowIso8601()) + "\n";
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

}  // namespace tnohaku::server
