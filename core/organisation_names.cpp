#include "core/organisation_names.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

#include <rapidjson/document.h>

#include "core/html.h"
#include "core/index_format.h"
#include "core/json_util.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

// The name `doc_data` (a stored record) gives the organisation `code`, or "".
std::string NameIn(const std::string& doc_data, const std::string& code) {
    rapidjson::Document doc;
    doc.Parse(doc_data.data(), doc_data.size());
    if (doc.HasParseError()) return "";
    const auto* orgs = json::Find(doc, "organisations");
    if (!orgs || !orgs->IsArray()) return "";
    for (const auto& o : orgs->GetArray()) {
        std::string name = json::GetString(o, "name");
        if (!name.empty() && fmt::OrganisationCode(json::GetString(o, "id"), name) == code)
            return name;
    }
    return "";
}

}  // namespace

OrganisationNames OrganisationNames::Read(const Xapian::Database& db) {
    OrganisationNames out;
    const std::string prefix = fmt::kOrganisationPrefix;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        Entry e;
        e.code = (*t).substr(prefix.size());
        auto post = db.postlist_begin(*t);
        if (post != db.postlist_end(*t))
            e.label = NameIn(db.get_document(*post).get_data(), e.code);
        if (e.label.empty()) e.label = e.code;
        out.entries_.push_back(std::move(e));  // terms come in byte order: sorted by code
    }
    std::vector<uint32_t> order(out.entries_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const Entry &x = out.entries_[a], &y = out.entries_[b];
        return std::tie(x.label, x.code) < std::tie(y.label, y.code);
    });
    for (uint32_t rank = 0; rank < order.size(); ++rank) out.entries_[order[rank]].rank = rank;
    out.by_rank_ = std::move(order);
    for (Entry& e : out.entries_) e.plain = IsPlainText(e.code) && IsPlainText(e.label);
    return out;
}

uint32_t OrganisationNames::RankBefore(std::string_view label, std::string_view code) const {
    using Key = std::pair<std::string_view, std::string_view>;  // (name, code)
    auto it = std::lower_bound(by_rank_.begin(), by_rank_.end(), Key(label, code),
                               [&](uint32_t position, const Key& key) {
                                   const Entry& e = entries_[position];
                                   return Key(e.label, e.code) < key;
                               });
    return static_cast<uint32_t>(it - by_rank_.begin());
}

std::optional<uint32_t> OrganisationNames::Find(std::string_view code) const {
    uint32_t from = 0;
    return Find(code, &from);
}

std::optional<uint32_t> OrganisationNames::Find(std::string_view code, uint32_t* from) const {
    auto it = entries_.begin() + std::min<size_t>(*from, entries_.size());
    if (it == entries_.end() || it->code != code) {
        it = std::lower_bound(it, entries_.end(), code,
                              [](const Entry& e, std::string_view c) { return e.code < c; });
    }
    *from = static_cast<uint32_t>(it - entries_.begin());
    if (it == entries_.end() || it->code != code) return std::nullopt;
    ++*from;  // the next code in byte order comes after this one
    return *from - 1;
}

}  // namespace tnohaku
