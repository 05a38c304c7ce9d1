#include "importer/merge.h"

#include <algorithm>
#include <map>
#include <set>

namespace tnohaku::importer {
namespace {

void Union(std::vector<std::string>& into, const std::vector<std::string>& from) {
    for (const auto& value : from) {
        if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
    }
}

void SortedUnion(std::vector<std::string>& into, const std::vector<std::string>& from) {
    Union(into, from);
    std::sort(into.begin(), into.end());
}

void FillGaps(LangText& into, const LangText& from) {
    for (Lang lang : kAllLangs) {
        if (into[lang].empty()) into[lang] = from[lang];
    }
}

void FillGap(std::string& into, const std::string& from) {
    if (into.empty()) into = from;
}

void MergeOrganisations(std::vector<Organisation>& into, const std::vector<Organisation>& from) {
    for (const auto& org : from) {
        bool seen = std::any_of(into.begin(), into.end(), [&](const Organisation& o) {
            return o.name == org.name && o.role == org.role && o.id == org.id;
        });
        if (!seen) into.push_back(org);
    }
}

void MergeLocations(std::vector<Location>& into, const std::vector<Location>& from) {
    for (const auto& location : from) {
        bool seen = std::any_of(into.begin(), into.end(), [&](const Location& l) {
            return l.name == location.name && l.address == location.address &&
                   l.postal_code == location.postal_code;
        });
        if (!seen) into.push_back(location);
    }
}

// A charge of "unknown" says less than any other.
void MergeCharge(std::string& into, const std::string& from) {
    if (into.empty() || (into == "unknown" && !from.empty())) into = from;
}

}  // namespace

std::pair<size_t, size_t> TextRichness(const Record& r) {
    size_t count = 0, length = 0;
    for (const LangText* text : {&r.name, &r.summary, &r.description}) {
        for (Lang lang : kAllLangs) {
            count += (*text)[lang].empty() ? 0 : 1;
            length += (*text)[lang].size();
        }
    }
    return {count, length};
}

void MergeInto(SourcedRecord& base, const SourcedRecord& other) {
    Record& r = base.record;
    const Record& o = other.record;
    FillGaps(r.name, o.name);
    FillGaps(r.summary, o.summary);
    FillGaps(r.description, o.description);
    FillGaps(r.service_hours, o.service_hours);
    Union(r.translated, o.translated);
    MergeOrganisations(r.organisations, o.organisations);
    r.area.national = r.area.national || o.area.national;
    SortedUnion(r.area.regions, o.area.regions);
    SortedUnion(r.area.municipalities, o.area.municipalities);
    Union(r.target_groups, o.target_groups);
    Union(r.themes, o.themes);
    Union(r.service_classes, o.service_classes);
    Union(r.channels, o.channels);
    Union(r.service_languages, o.service_languages);
    Union(r.funding, o.funding);
    Union(r.keywords, o.keywords);
    MergeLocations(r.locations, o.locations);
    FillGap(r.contact.url, o.contact.url);
    FillGap(r.contact.email, o.contact.email);
    FillGap(r.contact.phone, o.contact.phone);
    MergeCharge(r.charge, o.charge);
    FillGap(r.updated, o.updated);
    base.origin += ", " + other.origin;
}

std::vector<SourcedRecord> MergeById(std::vector<SourcedRecord> records, MergeStats* stats) {
    // Stable: records of one id keep their input order, which breaks richness ties.
    std::stable_sort(
        records.begin(), records.end(),
        [](const SourcedRecord& a, const SourcedRecord& b) { return a.record.id < b.record.id; });
    std::vector<SourcedRecord> out;
    for (size_t i = 0; i < records.size();) {
        size_t end = i;
        while (end < records.size() && records[end].record.id == records[i].record.id) ++end;
        size_t richest = i;
        std::set<std::string> sources;
        for (size_t j = i; j < end; ++j) {
            if (TextRichness(records[j].record) > TextRichness(records[richest].record))
                richest = j;
            sources.insert(records[j].record.source.name);
        }
        SourcedRecord merged = std::move(records[richest]);
        for (size_t j = i; j < end; ++j) {
            if (j != richest) MergeInto(merged, records[j]);
        }
        if (stats && end - i > 1) {
            ++stats->merged_ids;
            if (sources.size() > 1) ++stats->across_sources;
        }
        out.push_back(std::move(merged));
        i = end;
    }
    return out;
}

}  // namespace tnohaku::importer
