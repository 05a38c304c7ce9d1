#include "importer/ptv_location.h"

#include <cmath>

#include <unicode/unistr.h>

#include "core/json_util.h"
#include "core/validate.h"
#include "importer/coordinates.h"
#include "importer/ptv_fields.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

constexpr size_t kShortTextMax = 300;  // the schema's shortText maxLength
constexpr double kSampleLat = 61.6887, kSampleLon = 27.2721;

std::string Fold(std::string_view text) {
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
        .foldCase()
        .toUTF8String(out);
    return Trim(out);
}

// A municipality code as the vocabulary writes it: three digits, zero-padded.
std::string PadCode(std::string code) {
    if (code.empty() || code.size() > 3 ||
        code.find_first_not_of("0123456789") != std::string::npos)
        return code;
    return std::string(3 - code.size(), '0') + code;
}

double Round6(double degrees) {
    return std::round(degrees * 1e6) / 1e6;
}

// "Street 12": the street in fi, sv or en (else any language) and the number.
std::string StreetLine(const rapidjson::Value& street_address) {
    std::vector<Localized> streets = LocalizedList(street_address, "street");
    std::string street = FirstOf(ToLangText(streets));
    if (street.empty() && !streets.empty()) street = streets.front().value;
    std::string number = Trim(json::GetString(street_address, "streetNumber"));
    return Trim(street + " " + number);
}

// The municipality of a street address: its code when known, else one derived from the
// post office name; "" with a warning when neither works.
std::string Municipality(const rapidjson::Value& street_address, const std::string& where,
                         const LocationContext& ctx) {
    std::string code;
    if (const rapidjson::Value* m = ObjectMember(street_address, "municipality")) {
        code = PadCode(Trim(json::GetString(*m, "code")));
    }
    if (!code.empty() && ctx.vocab.Contains(Facet::kMunicipality, code)) return code;
    std::string problem = code.empty() ? "has no municipality code"
                                       : "has the unknown municipality code '" + code + "'";
    std::vector<Localized> offices = LocalizedList(street_address, "postOffice");
    for (const auto& office : offices) {
        std::string derived = ctx.municipalities.Find(office.value);
        if (derived.empty()) continue;
        ctx.diag.Warn(ctx.ref.Prefix() + where + " " + problem + ": took " + derived + " (" +
                      ctx.vocab.Label(Facet::kMunicipality, derived, Lang::kFi) +
                      ") from the post office name '" + office.value + "'");
        return derived;
    }
    std::string office = offices.empty() ? std::string("none") : "'" + offices.front().value + "'";
    ctx.diag.Warn(ctx.ref.Prefix() + where + " " + problem + " and its post office (" + office +
                  ") is not a municipality: kept without a municipality");
    return {};
}

// Sets the location's lat/lon from the grid coordinates of a street address, unless they
// are unknown, the generated sample point, or outside Finland.
void SetCoordinates(const rapidjson::Value& street_address, const std::string& where,
                    const LocationContext& ctx, Location& location) {
    std::string north_text = json::GetString(street_address, "latitude");
    std::string east_text = json::GetString(street_address, "longitude");
    auto northing = ParseGridCoordinate(north_text);
    auto easting = ParseGridCoordinate(east_text);
    if (!northing || !easting) return;  // "0" or missing: unknown
    if (std::abs(*northing - kSampleLat) < 1e-6 && std::abs(*easting - kSampleLon) < 1e-6) {
        ctx.diag.Warn(ctx.ref.Prefix() + where +
                      ": coordinates are the generated sample point 61.6887, 27.2721: left out");
        return;
    }
    GeoPoint geo = GridToWgs84({*northing, *easting});
    std::string given = "coordinates N " + north_text + ", E " + east_text + " (EPSG:3067)";
    if (IsGeneratedSamplePoint(geo.lat, geo.lon)) {
        ctx.diag.Warn(ctx.ref.Prefix() + where + ": " + given +
                      " are the generated sample point: left out");
    } else if (geo.lat < kMinLat || geo.lat > kMaxLat || geo.lon < kMinLon || geo.lon > kMaxLon) {
        ctx.diag.Warn(ctx.ref.Prefix() + where + ": " + given + " convert to " +
                      std::to_string(geo.lat) + ", " + std::to_string(geo.lon) +
                      ", outside Finland: left out");
    } else {
        location.lat = Round6(geo.lat);
        location.lon = Round6(geo.lon);
    }
}

}  // namespace

MunicipalityNames::MunicipalityNames(const Vocabulary& vocab) {
    for (const Code& code : vocab.Codes(Facet::kMunicipality)) {
        for (Lang lang : kAllLangs) {
            if (!code.labels[lang].empty())
                by_folded_name_.emplace(Fold(code.labels[lang]), code.code);
        }
    }
}

std::string MunicipalityNames::Find(std::string_view name) const {
    auto it = by_folded_name_.find(Fold(name));
    return it == by_folded_name_.end() ? std::string() : it->second;
}

bool IsGeneratedSamplePoint(double lat, double lon) {
    return std::abs(lat - kSampleLat) < 0.0005 && std::abs(lon - kSampleLon) < 0.001;
}

std::optional<Location> ReadLocation(const rapidjson::Value& address,
                                     const std::string& channel_name, const LocationContext& ctx) {
    std::string type = json::GetString(address, "type");
    const rapidjson::Value* street_address = ObjectMember(address, "streetAddress");
    if ((type != "Location" && type != "Visiting") || !street_address) return std::nullopt;

    Location location;
    location.name = Truncate(channel_name, kShortTextMax);
    location.address = Truncate(StreetLine(*street_address), kShortTextMax);
    std::string where = "location '" + location.name + "' (" + location.address + ")";
    std::string postal = Trim(json::GetString(*street_address, "postalCode"));
    if (postal.size() == 5 && postal.find_first_not_of("0123456789") == std::string::npos) {
        location.postal_code = postal;
    } else if (!postal.empty()) {
        ctx.diag.Warn(ctx.ref.Prefix() + where + ": postal code '" + postal +
                      "' is not five digits: left out");
    }
    location.municipality = Municipality(*street_address, where, ctx);
    SetCoordinates(*street_address, where, ctx, location);
    return location;
}

}  // namespace tnohaku::importer
