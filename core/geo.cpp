#include "core/geo.h"

#include <algorithm>
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

RadiusCheck::RadiusCheck(GeoPoint center, double radius_km)
    : center_(center), radius_km_(radius_km) {
    constexpr double kRad = M_PI / 180.0;
    // Both bounds follow from haversine, hav(d/R) = hav(Δφ) + cos φ1 cos φ2 hav(Δλ), with
    // hav(x) = sin²(x/2) growing on [0, π]. Latitude: hav(d/R) >= hav(Δφ), so d >= R·|Δφ|.
    // Longitude: within the latitude band cos φ2 >= cos(|φ1| + band), so hav(d/R) >=
    // cos φ1 · cos(|φ1| + band) · hav(Δλ), and Δλ beyond the angle where that passes
    // hav(r/R) puts a location outside. The small margins keep rounding from excluding a
    // location on the boundary: the exact test decides there.
    constexpr double kMargin = 1e-9;
    const double angle = radius_km / kEarthRadiusKm;  // radians
    max_dlat_ = angle / kRad * (1 + kMargin) + kMargin;
    max_dlon_ = 180;
    if (angle >= M_PI) return;  // the whole sphere
    const double band_edge = std::min(90.0, std::abs(center.lat) + max_dlat_);
    const double cos_product = std::cos(center.lat * kRad) * std::cos(band_edge * kRad);
    const double hav_angle = std::sin(angle / 2) * std::sin(angle / 2);
    if (cos_product <= kMargin) return;  // near a pole every longitude can be close
    const double hav_dlon = hav_angle / cos_product;
    if (hav_dlon >= 1) return;
    max_dlon_ =
        std::min(180.0, 2 * std::asin(std::sqrt(hav_dlon)) / kRad * (1 + kMargin) + kMargin);
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
