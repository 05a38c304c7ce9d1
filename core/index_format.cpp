#include "core/index_format.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace tnohaku::index_format {

std::string TextPrefix(Lang lang, TermKind kind) {
    std::string prefix = "X";
    prefix += lang == Lang::kFi ? 'F' : lang == Lang::kSv ? 'S' : 'E';
    prefix += kind == TermKind::kWhole ? 'W' : kind == TermKind::kPart ? 'P' : 'A';
    return prefix;
}

Xapian::valueno NameKeySlot(Lang lang) {
    return lang == Lang::kFi ? kNameKeyFi : lang == Lang::kSv ? kNameKeySv : kNameKeyEn;
}

Xapian::valueno NameSortSlot(Lang lang) {
    return lang == Lang::kFi ? kSortNameFi : lang == Lang::kSv ? kSortNameSv : kSortNameEn;
}

std::string SortKey(Xapian::valueno sort_slot, const Xapian::Document& doc) {
    Xapian::MultiValueKeyMaker keys;
    switch (sort_slot) {
        case kSortNameFi:
        case kSortNameSv:
        case kSortNameEn:
            keys.add_value(sort_slot - kSortNameFi + kNameKeyFi);
            break;
        case kSortStart:
            keys.add_value(kStartDay);  // an empty value (no start) first
            break;
        case kSortEnd:
            keys.add_value(kEndDay, false, std::string(16, '\xff'));  // open-ended last
            break;
        case kSortUpdated:
            keys.add_value(kUpdatedDay, true);  // newest first, unknown last
            break;
        default:
            break;
    }
    keys.add_value(kId);
    return keys(doc);
}

void AddSortKeys(Xapian::Document& doc) {
    for (Xapian::valueno slot = kSortNameFi; slot <= kSortUpdated; ++slot)
        doc.add_value(slot, SortKey(slot, doc));
}

// Fixed little-endian layout so that an index moves between machines unchanged.
std::string PackLocations(const std::vector<Location>& locations) {
    std::string out;
    for (const Location& l : locations) {
        if (!l.lat || !l.lon) continue;
        for (double v : {*l.lat, *l.lon}) {
            uint64_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
        }
    }
    return out;
}

std::vector<std::pair<double, double>> UnpackLocations(const std::string& packed) {
    std::vector<std::pair<double, double>> out;
    auto read = [&](size_t at) {
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= static_cast<uint64_t>(static_cast<unsigned char>(packed[at + i])) << (8 * i);
        double v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    };
    for (size_t at = 0; at + 16 <= packed.size(); at += 16)
        out.emplace_back(read(at), read(at + 8));
    return out;
}

std::string OrganisationCode(const std::string& id, const std::string& name) {
    if (!id.empty()) return id;
    std::string slug;
    for (unsigned char c : Analyzer::StripAccents(Analyzer::Fold(name))) {
        if (std::isalnum(c)) {
            slug += static_cast<char>(c);
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug.substr(0, 100);
}

std::string JoinCodes(std::vector<std::string> codes) {
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    std::string out;
    for (const auto& c : codes) {
        if (!out.empty()) out += ',';
        out += c;
    }
    return out;
}

std::vector<std::string> SplitCodes(const std::string& joined) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < joined.size()) {
        size_t comma = joined.find(',', start);
        if (comma == std::string::npos) comma = joined.size();
        if (comma > start) out.push_back(joined.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

}  // namespace tnohaku::index_format
