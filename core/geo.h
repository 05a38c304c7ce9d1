// Geo: distances for near= searches, from the locations slot of schema/index-format.md.
//
// A record's distance is the great-circle (haversine) distance from the search point to
// the nearest of its locations. GeoFilter is a Xapian::MatchDecider keeping records within
// the radius (records without locations are dropped) and remembering each distance, so
// that DistanceKeyMaker (sort=distance) and the hits reuse it.
//
// Thread safety: per search; not shared between threads.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

#include <xapian.h>

#include "core/search.h"

namespace tnohaku {

inline constexpr double kEarthRadiusKm = 6371.0088;  // mean radius

// Haversine distance in kilometres.
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

// Whether locations lie within `radius_km` of a point: exactly HaversineKm(...) <= radius_km,
// with the trigonometry skipped for locations outside a band of latitudes and of
// longitudes that bounds the circle from outside. For a radius search over many
// records, most are outside the bands (at 60° N a degree of longitude is 56 km, and
// records sit in a few cities), so most cost two comparisons instead of four sines.
class RadiusCheck {
  public:
    RadiusCheck(GeoPoint center, double radius_km);
    bool Within(double lat, double lon) const {
        return InBands(lat, lon) && HaversineKm(center_.lat, center_.lon, lat, lon) <= radius_km_;
    }
    // The cheap part: false only for locations farther than the radius.
    bool InBands(double lat, double lon) const {
        if (std::abs(lat - center_.lat) > max_dlat_) return false;
        double dlon = std::abs(lon - center_.lon);
        if (dlon > 180) dlon = std::fmod(dlon, 360.0);
        if (dlon > 180) dlon = 360 - dlon;
        return dlon <= max_dlon_;
    }

  private:
    GeoPoint center_;
    double radius_km_;
    double max_dlat_;  // degrees; farther in latitude is farther than the radius
    double max_dlon_;  // degrees, in [0, 180]; likewise in longitude within the band
};

// Distance from `point` to the nearest location in a packed locations value; nullopt when
// there are none.
std::optional<double> NearestKm(const GeoPoint& point, const std::string& packed_locations);

class GeoFilter : public Xapian::MatchDecider {
  public:
    GeoFilter(GeoPoint center, double radius_km) : center_(center), radius_km_(radius_km) {}
    bool operator()(const Xapian::Document& doc) const override;
    // The distance of a document seen before, else computed now; nullopt without locations.
    std::optional<double> Distance(const Xapian::Document& doc) const;

  private:
    GeoPoint center_;
    double radius_km_;
    mutable std::unordered_map<Xapian::docid, std::optional<double>> cache_;
};

// Sort key: distance ascending, then the record id (slot 7), so that paging is stable.
class DistanceKeyMaker : public Xapian::KeyMaker {
  public:
    explicit DistanceKeyMaker(const GeoFilter& geo) : geo_(geo) {}
    std::string operator()(const Xapian::Document& doc) const override;

  private:
    const GeoFilter& geo_;
};

// Appends `value` to a composite sort key so that keys compare component by component
// (the encoding Xapian::MultiValueKeyMaker uses: '\0' escaped as "\0\xff", "\0\0" after
// every component but the last).
void AppendKeyComponent(std::string& key, const std::string& value, bool last);

}  // namespace tnohaku
