#include "importer/ptv_json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/json_util.h"
#include "importer/ptv_channel.h"
#include "importer/ptv_fields.h"
#include "importer/ptv_service.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

namespace fs = std::filesystem;

struct LoadedFile {
    std::string name;     // the path, for messages
    std::string version;  // "v9", "v11", … or ""
    rapidjson::Document doc;
};

enum class Kind { kService, kChannel, kOrganisation };

struct Item {
    Kind kind;
    const rapidjson::Value* json;
    const LoadedFile* file;
};

// The *.json files of `input` (a folder, searched recursively, or one file), sorted.
Result<std::vector<std::string>> JsonFiles(const std::string& input) {
    std::error_code ec;
    if (fs::is_regular_file(input, ec)) return std::vector<std::string>{input};
    if (!fs::is_directory(input, ec)) {
        return Status::NotFound(
            input + ": " +
            (fs::exists(input, ec) ? "not a folder or a file" : "no such file or folder"));
    }
    std::vector<std::string> files;
    for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json" && it->is_regular_file(ec))
            files.push_back(it->path().string());
    }
    if (ec) return Status::IoError(input + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

// The last "v<digits>" folder in `path`, or "".
std::string VersionOf(const std::string& path) {
    std::string version;
    for (const auto& part : fs::path(path).parent_path()) {
        std::string s = part.string();
        if (s.size() > 1 && s[0] == 'v' &&
            s.find_first_not_of("0123456789", 1) == std::string::npos)
            version = s;
    }
    return version;
}

// Reads and parses one file; nullptr (with a skip reported) when that fails.
std::unique_ptr<LoadedFile> LoadFile(const std::string& path, Diagnostics& diag) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!(in && text << in.rdbuf())) {
        diag.Skip(path + ": cannot read the file: skipped");
        return nullptr;
    }
    auto file = std::make_unique<LoadedFile>();
    file->name = path;
    file->version = VersionOf(path);
    std::string body = text.str();
    file->doc.Parse(body.c_str(), body.size());
    if (file->doc.HasParseError()) {
        diag.Skip(path + ": not valid JSON (" +
                  rapidjson::GetParseError_En(file->doc.GetParseError()) + " at byte " +
                  std::to_string(file->doc.GetErrorOffset()) + "): skipped");
        return nullptr;
    }
    return file;
}

void CollectMembers(const rapidjson::Value& v, int depth, const LoadedFile& file,
                    std::vector<Item>& out);

// The PTV objects in `v`: itself, or the elements of a list, a list page or an object
// keyed by id.
void Collect(const rapidjson::Value& v, int depth, const LoadedFile& file, std::vector<Item>& out) {
    if (depth > 3) return;
    if (v.IsArray()) {
        for (const auto& element : v.GetArray()) Collect(element, depth + 1, file, out);
        return;
    }
    if (!v.IsObject()) return;
    if (json::Find(v, "serviceNames")) {
        out.push_back({Kind::kService, &v, &file});
    } else if (json::Find(v, "serviceChannelType")) {
        out.push_back({Kind::kChannel, &v, &file});
    } else if (json::Find(v, "organizationNames")) {
        out.push_back({Kind::kOrganisation, &v, &file});
    } else {
        CollectMembers(v, depth, file, out);
    }
}

// The PTV objects among the members of an object that is not one itself.
void CollectMembers(const rapidjson::Value& v, int depth, const LoadedFile& file,
                    std::vector<Item>& out) {
    for (const auto& member : v.GetObject()) {
        if (member.value.IsArray() || member.value.IsObject())
            Collect(member.value, depth + 1, file, out);
    }
}

std::map<std::string, std::string> OrganisationNames(const std::vector<Item>& items) {
    std::map<std::string, std::string> names;
    for (const Item& item : items) {
        if (item.kind != Kind::kOrganisation) continue;
        std::string name =
            FirstOf(ToLangText(LocalizedList(*item.json, "organizationNames", "Name")));
        if (name.empty())
            name = FirstOf(ToLangText(LocalizedList(*item.json, "organizationNames")));
        std::string id = AsciiLower(Trim(json::GetString(*item.json, "id")));
        if (!id.empty() && !name.empty()) names.emplace(id, name);
    }
    return names;
}

std::map<std::string, PtvChannel> ReadChannels(const std::vector<Item>& items,
                                               const Vocabulary& vocab, Diagnostics& diag) {
    MunicipalityNames municipalities(vocab);
    std::map<std::string, PtvChannel> channels;
    for (const Item& item : items) {
        if (item.kind != Kind::kChannel) continue;
        ItemRef ref{item.file->name, AsciiLower(json::GetString(*item.json, "id"))};
        PtvChannel channel = ReadChannel(*item.json, {vocab, municipalities, diag, ref});
        if (!channel.id.empty()) channels.emplace(channel.id, std::move(channel));
    }
    return channels;
}

// The channels a service is linked to: those it lists, then those that list it.
struct ChannelIndex {
    const std::map<std::string, PtvChannel>& by_id;
    std::multimap<std::string, const PtvChannel*> by_service;
    size_t missing = 0;  // listed channels that are not in the input

    explicit ChannelIndex(const std::map<std::string, PtvChannel>& channels) : by_id(channels) {
        for (const auto& [id, channel] : channels) {
            for (const auto& service : channel.service_ids) by_service.emplace(service, &channel);
        }
    }

    std::vector<const PtvChannel*> Linked(const rapidjson::Value& service,
                                          const std::string& service_id) {
        std::vector<const PtvChannel*> out;
        for (const std::string& id : ListedChannelIds(service)) {
            auto it = by_id.find(id);
            if (it == by_id.end())
                ++missing;
            else
                out.push_back(&it->second);
        }
        auto [first, last] = by_service.equal_range(service_id);
        for (auto it = first; it != last; ++it) {
            if (std::find(out.begin(), out.end(), it->second) == out.end())
                out.push_back(it->second);
        }
        return out;
    }
};

}  // namespace

std::string PtvApiSourceName(const std::string& version) {
    return "PTV (Suomi.fi-palvelutietovaranto) open API" + (version.empty() ? "" : " " + version);
}

Result<std::vector<SourcedRecord>> ReadPtvJson(const std::string& input, const Vocabulary& vocab,
                                               Diagnostics& diag) {
    TRY_ASSIGN(std::vector<std::string> paths, JsonFiles(input));
    std::vector<std::unique_ptr<LoadedFile>> files;
    std::vector<Item> items;
    for (const std::string& path : paths) {
        auto file = LoadFile(path, diag);
        if (!file) continue;
        size_t before = items.size();
        Collect(file->doc, 0, *file, items);
        if (items.size() == before)
            diag.Skip(path + ": holds no PTV service, service channel or organisation: skipped");
        files.push_back(std::move(file));
    }
    const auto organisation_names = OrganisationNames(items);
    const auto channels = ReadChannels(items, vocab, diag);
    ChannelIndex index(channels);
    std::vector<SourcedRecord> records;
    for (const Item& item : items) {
        if (item.kind != Kind::kService) continue;
        std::string id = AsciiLower(Trim(json::GetString(*item.json, "id")));
        ServiceContext ctx{vocab,
                           organisation_names,
                           PtvApiSourceName(item.file->version),
                           diag,
                           {item.file->name, {}}};
        auto record = ReadService(*item.json, index.Linked(*item.json, id), ctx);
        if (record) records.push_back(std::move(*record));
    }
    if (index.missing > 0) {
        diag.Warn(input + ": " + std::to_string(index.missing) +
                  " links from services to channels that are not in the input: no channel, "
                  "location or hours from them");
    }
    return records;
}

}  // namespace tnohaku::importer
