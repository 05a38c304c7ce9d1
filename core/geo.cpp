#include "core/geo.h"

#include <cmath>

#include "core/index_format.h"

namespace tnohaku {

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kRad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
    double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

std::optional<double> NearestKm(const GeoPoint& point, const std::string& packed_locations) {
    std::optional<double> best;
    for (const auto& [lat, lon] : index_format::UnpackLocations(packed_locations)) {
        double d = HaversineKm(point.lat, point.lon, lat, lon);
        if (!best || d < *best) best = d;
    }
    return best;
}

std::optional<double> GeoFilter::Distance(const Xapian::Document& doc) const {
    auto [it, inserted] = cache_.try_emplace(doc.get_docid());
    if (inserted) it->second = NearestKm(center_, doc.get_value(index_format::kLocations));
    return it->second;
}

bool GeoFilter::operator()(const Xapian::Document& doc) const {
    std::optional<double> d = Distance(doc);
    return d && *d <= radius_km_;
}

void AppendKeyComponent(std::string& key, const std::string& value, bool last) {
    for (char c : value) {
        key += c;
        if (c == '\0') key += '\xff';
    }
    if (!last) key.append(2, '\0');
}

std::string DistanceKeyMaker::operator()(const Xapian::Document& doc) const {
    std::optional<double> d = geo_.Distance(doc);
    std::string key;
    AppendKeyComponent(key, Xapian::sortable_serialise(d ? *d : HUGE_VAL), false);
    AppendKeyComponent(key, doc.get_value(index_format::kId), true);
    return key;
}

}  // namespace tnohaku
